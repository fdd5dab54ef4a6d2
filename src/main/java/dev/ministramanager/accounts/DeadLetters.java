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

    private static final String COLUMNS = "id, company_id, account_id, login, operation, cause, ministra_error,"
            + " detail, attempts, first_failed_at, dead_at, payload, status, resolved_at, resolved_by";
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
        MapSqlParameterSource params = new MapSqlParameterSource("companies",
                companyId == null ? companyIds : List.of(companyId));
        StringBuilder where = new StringBuilder(" WHERE company_id IN (:companies)");
        String wanted = status == null ? "open" : status;
        if (!wanted.equals("all")) {
            if (!List.of("open", "replayed", "discarded").contains(wanted)) {
                throw ProblemException.invalidField("status", "Parameter 'status' must be open, replayed, discarded"
                        + " or all.");
            }
            where.append(" AND status = :status");
            params.addValue("status", wanted);
        }
        filter(where, params, cause, olderThanMinutes == null ? null : minutes(olderThanMinutes));
        return named.query("SELECT " + COLUMNS + " FROM dead_letter" + where + " ORDER BY id LIMIT 1000", params,
                (rs, i) -> view(rs));
    }

    public Map<String, Object> get(List<Long> companyIds, long id) {
        return named.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = :id AND company_id IN (:companies)",
                        new MapSqlParameterSource("id", id).addValue("companies", companyIds), (rs, i) -> view(rs))
                .stream().findFirst().orElseThrow(() -> notFound(id));
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
        MapSqlParameterSource params = new MapSqlParameterSource("companies",
                companyId == null ? companyIds : List.of(companyId));
        StringBuilder where = new StringBuilder(" WHERE company_id IN (:companies) AND status = 'open'");
        filter(where, params, filter.cause(), filter.olderThanMinutes());
        params.addValue("limit", filter.limit() == null ? BULK_DEFAULT : filter.limit());
        List<Long> ids = named.queryForList("SELECT id FROM dead_letter" + where + " ORDER BY id LIMIT :limit",
                params, Long.class);
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
            jdbc.update("UPDATE dead_letter SET status = 'discarded', resolved_at = ?, resolved_by = ? WHERE id = ?",
                    now, actor, id);
            Object accountId = letter.get("account_id");
            // a deleted account whose removal from Ministra is given up: the local deletion completes
            int removed = jdbc.update("DELETE FROM account WHERE id = ? AND deleted_at IS NOT NULL", accountId);
            if (removed == 0) {
                jdbc.update("UPDATE account_push SET state = 'discarded', dead_letter_id = NULL"
                        + " WHERE account_id = ? AND dead_letter_id = ?", accountId, id);
            }
            audit.record(actor, companyOf(letter), AccountCommands.SUBJECT, AccountRules.key((String) letter.get("login")),
                    "discard", "ok", Map.of("deadLetterId", id));
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
        jdbc.update("UPDATE dead_letter SET status = 'replayed', resolved_at = ?, resolved_by = ? WHERE id = ?",
                now, actor, id);
        jdbc.update("UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?,"
                + " failing_since = NULL, dead_letter_id = NULL WHERE account_id = ? AND dead_letter_id = ?",
                now, letter.get("account_id"), id);
        audit.record(actor, companyOf(letter), AccountCommands.SUBJECT, AccountRules.key((String) letter.get("login")),
                "replay", "ok", Map.of("deadLetterId", id));
        return null;
    }

    /** The open dead letter, locked; or a map whose "problem" says why it is not replayable or discardable. */
    private Map<String, Object> lockOpen(List<Long> companyIds, long id) {
        List<Map<String, Object>> found = named.queryForList("SELECT id, company_id, account_id, login, status"
                + " FROM dead_letter WHERE id = :id AND company_id IN (:companies) FOR UPDATE",
                new MapSqlParameterSource("id", id).addValue("companies", companyIds));
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

    private void filter(StringBuilder where, MapSqlParameterSource params, String cause, Integer olderThanMinutes) {
        if (cause != null && !CAUSES.contains(cause)) {
            throw ProblemException.invalidField("cause", "'cause' must be one of " + CAUSES + ".");
        }
        if (cause != null) {
            where.append(" AND cause = :cause");
            params.addValue("cause", cause);
        }
        if (olderThanMinutes != null) {
            where.append(" AND dead_at <= :deadBefore");
            params.addValue("deadBefore", now().minusMinutes(olderThanMinutes));
        }
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

    private static long companyOf(Map<String, Object> letter) {
        return ((Number) letter.get("company_id")).longValue();
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("Dead letter " + id + " not found.");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
