package dev.ministramanager.audit;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only audit trail, one mechanism for the whole service: who did what to which record of which company,
 * and how it ended. Callers pass details with secrets already masked; {@link #MASK} is the mask. A follower (the
 * event outbox) sees every entry in the transaction that writes it, so what it derives commits with the entry.
 */
public class AuditTrail {

    private static final String INSERT_EVENT = SqlStatements.load("audit-event-insert");

    public static final String MASK = "***";
    /** The subject of everything that happens to an account; its id is the lower-case login. */
    public static final String ACCOUNT = "account";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private volatile Follower follower = entries -> { };

    public AuditTrail(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.json = json;
    }

    /** Sees the entries written, inside the transaction that writes them (the caller's, or one of its own). */
    public interface Follower {
        void recorded(List<Event> entries);

        /**
         * May write one entry itself, with what it derives from it, in one statement (one round trip rather than
         * two): {@code row} is the entry's row as {@code audit-event-insert} takes it (actor, company, subject,
         * subject id, action, outcome, details as JSON). Answers false when it does not, and the entry is written
         * and {@link #recorded} called as for any entry.
         */
        default boolean wroteWith(Event entry, Object[] row) {
            return false;
        }
    }

    public void follow(Follower newFollower) {
        this.follower = newFollower;
    }

    /** The subject id of an account's entries: its login as Ministra compares logins (case-insensitively). */
    public static String accountSubjectId(String login) {
        return login.toLowerCase(java.util.Locale.ROOT);
    }

    /** One entry of the trail. */
    public record Event(String actor, Long companyId, String subject, String subjectId, String action,
                        String outcome, Map<String, ?> details) {
    }

    public void record(String actor, Long companyId, String subject, String subjectId, String action, String outcome,
                       Map<String, ?> details) {
        transaction.executeWithoutResult(tx -> {
            Event entry = new Event(actor, companyId, subject, subjectId, action, outcome, details);
            Object[] row = {actor, companyId, subject, subjectId, action, outcome, detailsJson(details)};
            if (!follower.wroteWith(entry, row)) {
                jdbc.update(INSERT_EVENT, row);
                follower.recorded(List.of(entry));
            }
        });
    }

    /** Several entries in one batch (in the caller's transaction, if any). */
    public void recordAll(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(tx -> {
            jdbc.batchUpdate(INSERT_EVENT, events.stream().map(event -> new Object[] {event.actor(),
                    event.companyId(), event.subject(), event.subjectId(), event.action(), event.outcome(),
                    detailsJson(event.details())}).toList());
            follower.recorded(events);
        });
    }

    private String detailsJson(Map<String, ?> details) {
        try {
            return details == null ? null : json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be JSON-serialisable", e);
        }
    }
}
