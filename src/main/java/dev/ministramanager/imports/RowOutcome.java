package dev.ministramanager.imports;

import dev.ministramanager.api.ProblemException;

/**
 * What became of one imported row.
 *
 * @param line    CSV: the record's line (the header is line 1); Ministra: the row's position in the listing
 * @param outcome adopted, created, updated, compared (an account we knew: not overwritten) or refused
 * @param field   the field a refusal (or the first difference of a compared account) is about; null otherwise
 * @param reason  why it was refused, or the differences found; null when it was simply applied
 */
public record RowOutcome(long line, String login, String outcome, String field, String reason) {

    static final String ADOPTED = "adopted";
    static final String CREATED = "created";
    static final String UPDATED = "updated";
    static final String COMPARED = "compared";
    static final String REFUSED = "refused";

    static RowOutcome refused(long line, String login, String field, String reason) {
        return new RowOutcome(line, login, REFUSED, field, reason);
    }

    /** A refusal by the same rule that answers the REST API: the problem's field and detail. */
    static RowOutcome refused(long line, String login, ProblemException problem) {
        Object field = problem.toDocument().get("field");
        return refused(line, login, field == null ? null : field.toString(), problem.getMessage());
    }
}
