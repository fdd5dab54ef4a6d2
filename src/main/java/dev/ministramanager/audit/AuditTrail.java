package dev.ministramanager.audit;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The append-only audit trail, one mechanism for the whole service: who did what to which record of which company,
 * and how it ended. Callers pass details with secrets already masked; {@link #MASK} is the mask.
 */
public class AuditTrail {

    public static final String MASK = "***";
    /** The subject of everything that happens to an account; its id is the lower-case login. */
    public static final String ACCOUNT = "account";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AuditTrail(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
    }

    /** The subject id of an account's entries: its login as Ministra compares logins (case-insensitively). */
    public static String accountSubjectId(String login) {
        return login.toLowerCase(java.util.Locale.ROOT);
    }

    /** One entry of the trail. */
    public record Event(String actor, Long companyId, String subject, String subjectId, String action,
                        String outcome, Map<String, ?> details) {
    }

    private static final String INSERT = "INSERT INTO audit_event (actor, company_id, subject, subject_id, action,"
            + " outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?)";

    public void record(String actor, Long companyId, String subject, String subjectId, String action, String outcome,
                       Map<String, ?> details) {
        jdbc.update(INSERT, actor, companyId, subject, subjectId, action, outcome, detailsJson(details));
    }

    /** Several entries in one batch (in the caller's transaction, if any). */
    public void recordAll(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, events.stream().map(event -> new Object[] {event.actor(), event.companyId(),
                event.subject(), event.subjectId(), event.action(), event.outcome(), detailsJson(event.details())})
                .toList());
    }

    private String detailsJson(Map<String, ?> details) {
        try {
            return details == null ? null : json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be JSON-serialisable", e);
        }
    }
}
