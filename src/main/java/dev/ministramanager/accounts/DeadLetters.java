package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dead letters, for operators: pushes that failed for good, with the classified cause, Ministra's answer and the
 * request (password masked). Replaying converges the account's current state, so a fix made since is what gets
 * pushed; discarding gives the push up (a deleted account is then removed locally).
 */
public class DeadLetters {

    /** Every cause a dead letter records: Ministra failure kinds, and internal (a failure that is not one). */
    static final List<String> CAUSES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(MinistraFailure.Kind.values()).map(MinistraFailure.Kind::id),
            java.util.stream.Stream.of("internal")).toList();

    private static final String SELECT = SqlStatements.load("accounts-dead-letters");
    private static final String BY_ID = SqlStatements.load("accounts-dead-letter-by-id");
    private static final String LOCK = SqlStatements.load("accounts-dead-letter-lock");
    private static final String RESOLVE = SqlStatements.load("accounts-dead-letter-resolve");
    private static final String DELETE_TOMBSTONE = SqlStatements.load("accounts-delete-tombstone");
    private static final String DISCARD_PUSH = SqlStatements.load("accounts-push-discard");
    private static final String REPLAY_PUSH = SqlStatements.load("accounts-push-replay");
    private static final int LIST_MAX = 1000;
    private static final int BULK_DEFAULT = 100;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;

    public DeadLetters(DataSource dataSource, AuditTrail audit, ObjectMapper json, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public List<Map<String, Object>> list(List<Long> companyIds, Long companyId, String cause, String status,
                                          String olderThanMinutes) {
        String wanted = status == null ? "open" : status;
        if (!wanted.equals("all") && !List.of("open", "replayed", "discarded").contains(wanted)) {
            throw ProblemException.invalidField("status", "Parameter 'status' must be open, replayed, discarded"
                    + " or all.");
        }
        MapSqlParameterSource params = filter(companyId == null ? companyIds : List.of(companyId),
                wanted.equals("all") ? null : wanted, cause,
                olderThanMinutes == null ? null : minutes(olderThanMinutes), LIST_MAX);
        return named.query(SELECT, params, (rs, i) -> view(rs));
    }

    public Map<String, Object> get(List<Long> companyIds, long id) {
        return named.query(BY_ID, byId(companyIds, id), (rs, i) -> view(rs)).stream().findFirst()
                .orElseThrow(() -> notFound(id));
    }

    public Map<String, Object> replay(List<Long> companyIds, long id, String actor) {
        transaction.executeWithoutResult(tx -> {
            ProblemException notReplayable = replayOne(companyIds, id, actor);
            if (notReplayable != null) {
                throw notReplayable;
            }
        });
        return get(companyIds, id);
    }

    public Map<String, Object> replayAll(List<Long> companyIds, Long companyId, DeadLetterReplay filter,
                                         String actor) {
        MapSqlParameterSource params = filter(companyId == null ? companyIds : List.of(companyId), "open",
                filter.cause(), filter.olderThanMinutes(), filter.limit() == null ? BULK_DEFAULT : filter.limit());
        List<Long> ids = named.query(SELECT, params, (rs, i) -> rs.getLong("id"));
        List<Map<String, Object>> results = new ArrayList<>();
        for (long id : ids) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            ProblemException notReplayable = transaction.execute(tx -> replayOne(companyIds, id, actor));
            if (notReplayable == null) {
                result.put("outcome", "replayed");
            } else {
                result.put("outcome", "skipped");
                result.put("detail", notReplayable.getMessage());
            }
            results.add(result);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("replayed", results.stream().filter(r -> r.get("outcome").equals("replayed")).count());
        answer.put("results", results);
        return answer;
    }

    public Map<String, Object> discard(List<Long> companyIds, long id, String actor) {
        transaction.executeWithoutResult(tx -> {
            Map<String, Object> letter = lockOpen(companyIds, id);
            if (letter.get("problem") != null) {
                throw (ProblemException) letter.get("problem");
            }
            OffsetDateTime now = now();
            jdbc.update(RESOLVE, "discarded", now, actor, id);
            Object accountId = letter.get("account_id");
            // a deleted account whose removal from Ministra is given up: the local deletion completes
            int removed = jdbc.update(DELETE_TOMBSTONE, accountId);
            if (removed == 0) {
                jdbc.update(DISCARD_PUSH, accountId, id);
            }
            audit(actor, letter, id, "discard");
        });
        return get(companyIds, id);
    }

    /** Replays one dead letter, or answers why it cannot be replayed (without throwing, so a bulk replay goes on). */
    private ProblemException replayOne(List<Long> companyIds, long id, String actor) {
        Map<String, Object> letter = lockOpen(companyIds, id);
        if (letter.get("problem") != null) {
            return (ProblemException) letter.get("problem");
        }
        OffsetDateTime now = now();
        jdbc.update(RESOLVE, "replayed", now, actor, id);
        jdbc.update(REPLAY_PUSH, now, letter.get("account_id"), id);
        audit(actor, letter, id, "replay");
        return null;
    }

    /** The open dead letter, locked; or a map whose "problem" says why it is not replayable or discardable. */
    private Map<String, Object> lockOpen(List<Long> companyIds, long id) {
        List<Map<String, Object>> found = named.queryForList(LOCK, byId(companyIds, id));
        if (found.isEmpty()) {
            return Map.of("problem", notFound(id));
        }
        Map<String, Object> letter = found.get(0);
        if (!"open".equals(letter.get("status"))) {
            return Map.of("problem", ProblemException.conflict("status", "Dead letter " + id + " is already "
                    + letter.get("status") + "."));
        }
        if (letter.get("account_id") == null) {
            return Map.of("problem", ProblemException.conflict("accountId", "The account of dead letter " + id
                    + " no longer exists."));
        }
        return letter;
    }

    /** The parameters of accounts-dead-letters (a null filter filters nothing). */
    private MapSqlParameterSource filter(List<Long> companies, String status, String cause, Integer olderThanMinutes,
                                         int limit) {
        if (cause != null && !CAUSES.contains(cause)) {
            throw ProblemException.invalidField("cause", "'cause' must be one of " + CAUSES + ".");
        }
        return new MapSqlParameterSource("companies", companies).addValue("status", status).addValue("cause", cause)
                .addValue("deadBefore", olderThanMinutes == null ? null : now().minusMinutes(olderThanMinutes))
                .addValue("limit", limit);
    }

    private Map<String, Object> view(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("id", rs.getLong("id"));
        letter.put("companyId", rs.getLong("company_id"));
        letter.put("login", rs.getString("login"));
        letter.put("operation", rs.getString("operation"));
        letter.put("cause", rs.getString("cause"));
        letter.put("ministraError", rs.getString("ministra_error"));
        letter.put("detail", rs.getString("detail"));
        letter.put("attempts", rs.getInt("attempts"));
        letter.put("firstFailedAt", rs.getObject("first_failed_at", OffsetDateTime.class));
        letter.put("deadAt", rs.getObject("dead_at", OffsetDateTime.class));
        letter.put("status", rs.getString("status"));
        letter.put("resolvedAt", rs.getObject("resolved_at", OffsetDateTime.class));
        letter.put("resolvedBy", rs.getString("resolved_by"));
        String payload = rs.getString("payload");
        try {
            letter.put("request", payload == null ? null : json.readTree(payload));
        } catch (JsonProcessingException e) {
            letter.put("request", null);
        }
        return letter;
    }

    private static Integer minutes(String raw) {
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("olderThanMinutes", "Parameter 'olderThanMinutes' must be a number of"
                + " minutes.");
    }

    private static MapSqlParameterSource byId(List<Long> companyIds, long id) {
        return new MapSqlParameterSource("id", id).addValue("companies", companyIds);
    }

    /** The account's audit entry of an operator's replay or discard of its dead letter. */
    private void audit(String actor, Map<String, Object> letter, long id, String action) {
        audit.record(actor, ((Number) letter.get("company_id")).longValue(), AccountCommands.SUBJECT,
                AccountRules.key((String) letter.get("login")), action, "ok", Map.of("deadLetterId", id));
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("Dead letter " + id + " not found.");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
