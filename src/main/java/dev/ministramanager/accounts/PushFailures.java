package dev.ministramanager.accounts;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.persistence.SqlStatements;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides what a failed push means, as the dead-letter channel of the push route: retrying later (transient failure,
 * exponential backoff with jitter, durable in the database so that the sync state shows it and a restart resumes
 * it), dead-lettered (permanent failure or attempts exhausted), paused (Ministra refused our credentials: the
 * company's pushes wait instead of burning retries) or waiting (the company's Ministra is down, its
 * {@link MinistraCircuits circuit} open: no attempt is spent).
 */
final class PushFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PushFailures.class);
    /** Longer than a node remembers a company's Ministra settings (one second) plus a call. */
    private static final Duration CREDENTIALS_SETTLING = Duration.ofSeconds(3);
    private static final String LOCK_CLAIM = SqlStatements.load("accounts-push-lock-claim");
    private static final String PAUSE_RETRY = SqlStatements.load("accounts-push-pause-retry");
    private static final String WAIT_FOR_MINISTRA = SqlStatements.load("accounts-push-wait-for-ministra");
    private static final String RETRY = SqlStatements.load("accounts-push-retry");
    private static final String DEAD = SqlStatements.load("accounts-push-dead");
    private static final String DEAD_LETTER_ACCOUNT = SqlStatements.load("accounts-push-dead-letter-account");
    private static final String DEAD_LETTER_INSERT = SqlStatements.load("accounts-push-dead-letter-insert");
    private static final String PAUSE_UPDATE = SqlStatements.load("accounts-push-pause-update");
    private static final String PAUSE_INSERT = SqlStatements.load("accounts-push-pause-insert");
    private static final String PAUSE_EXTEND = SqlStatements.load("accounts-push-pause-extend");
    private static final String PAUSE_DUE = SqlStatements.load("accounts-push-pause-due");
    private static final String CREDENTIALS_JUST_CHANGED = SqlStatements.load(
            "accounts-push-credentials-just-changed");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final PushSettings settings;
    private final MinistraCircuits circuits;
    private final PushOutcomes outcomes;

    PushFailures(JdbcTemplate jdbc, TransactionTemplate transaction, AuditTrail audit, ObjectMapper json, Clock clock,
                 PushSettings settings, MinistraCircuits circuits, PushOutcomes outcomes) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.circuits = circuits;
        this.outcomes = outcomes;
    }

    void failed(Exchange exchange) {
        PushClaim claim = exchange.getMessage().getBody(PushClaim.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PushConversation conversation = exchange.getVariable(AccountPushes.CONVERSATION, PushConversation.class);
        MinistraFailure failure = cause instanceof MinistraFailure known ? known : null;
        String kind = failure == null ? "internal" : failure.kind().id();
        String detail = truncate(cause == null ? "unknown failure" : String.valueOf(cause.getMessage()), 2000);
        OffsetDateTime now = AccountPushes.utcNow(clock);
        boolean countsAgainstMinistra = failure != null && failure.kind().isTransient();
        if (countsAgainstMinistra) {
            circuits.ensureRow(claim.desired().companyId());
        }
        OffsetDateTime[] parkUntil = new OffsetDateTime[1];
        String result = transaction.execute(tx -> {
            List<Map<String, Object>> rows = jdbc.queryForList(LOCK_CLAIM, claim.accountId(), claim.token());
            if (rows.isEmpty()) {
                return "lost";
            }
            long companyId = ((Number) rows.get(0).get("company_id")).longValue();
            int attempts = ((Number) rows.get(0).get("attempts")).intValue() + 1;
            if (failure != null && failure.kind() == MinistraFailure.Kind.AUTHENTICATION_FAILED) {
                // sent with the credentials a node remembered before a change (for up to a second): the new ones
                // are tried shortly instead of pausing the company they may well fix
                boolean settling = credentialsJustChanged(companyId);
                OffsetDateTime until = now.plus(settling ? CREDENTIALS_SETTLING : settings.authPause());
                if (!settling) {
                    pause(companyId, now, until, detail);
                }
                jdbc.update(PAUSE_RETRY, until, detail, kind, claim.accountId());
                return settling ? "retrying" : "paused";
            }
            if (countsAgainstMinistra) {
                MinistraCircuits.Verdict verdict = circuits.transientFailure(companyId, failure, detail, now);
                if (verdict.open()) {
                    // Ministra is down for the whole company: the push waits for it without spending an attempt
                    jdbc.update(WAIT_FOR_MINISTRA, verdict.nextProbeAt(), now, detail, kind, claim.accountId());
                    parkUntil[0] = verdict.opened() ? verdict.nextProbeAt() : null;
                    return "waiting";
                }
            }
            boolean retry = (failure == null || failure.kind().isTransient()) && attempts < settings.maxAttempts();
            if (retry) {
                Duration delay = settings.retryDelay(attempts, ThreadLocalRandom.current().nextDouble());
                jdbc.update(RETRY, attempts, now.plus(delay), now, detail, kind, claim.accountId());
                return "retrying";
            }
            long deadLetter = deadLetter(claim.accountId(), companyId, conversation, failure, kind, detail, attempts,
                    now);
            jdbc.update(DEAD, attempts, deadLetter, now, detail, kind, claim.accountId());
            return "dead";
        });
        if (parkUntil[0] != null) {
            circuits.parkWaitingPushes(claim.desired().companyId(), parkUntil[0]);
        }
        outcomes.count(result, 1);
        if (result.equals("paused")) {
            outcomes.authenticationFailed();
        }
        LOG.warn("Push of account {} {}: {} ({})", claim.accountId(), result, detail, kind);
    }

    private long deadLetter(long accountId, long companyId, PushConversation conversation, MinistraFailure failure,
                            String kind, String detail, int attempts, OffsetDateTime now) {
        Map<String, Object> row = jdbc.queryForMap(DEAD_LETTER_ACCOUNT, accountId);
        String login = (String) row.get("login");
        String operation = conversation == null ? "unknown" : conversation.operation();
        String payload = conversation == null ? null : serialise(conversation.maskedRequest());
        // chosen here, not by COALESCE(?, ?) in SQL: H2 cannot type a parameter whose only context is another one
        Object firstFailedAt = row.get("failing_since") != null ? row.get("failing_since") : now;
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(DEAD_LETTER_INSERT, new String[] {"id"});
            insert.setLong(1, companyId);
            insert.setLong(2, accountId);
            insert.setString(3, login);
            insert.setString(4, operation);
            insert.setString(5, kind);
            insert.setString(6, failure == null ? null : truncate(failure.ministraError(), 2000));
            insert.setString(7, detail);
            insert.setInt(8, attempts);
            insert.setObject(9, firstFailedAt);
            insert.setObject(10, now);
            insert.setString(11, payload);
            return insert;
        }, key);
        long id = key.getKey().longValue();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deadLetterId", id);
        details.put("operation", operation);
        details.put("cause", kind);
        if (failure != null && failure.ministraError() != null) {
            details.put("ministraError", failure.ministraError());
        }
        details.put("attempts", attempts);
        audit.record(AccountPushes.ACTOR, companyId, AccountCommands.SUBJECT, AccountRules.key(login), "dead-letter", kind,
                details);
        return id;
    }

    private void pause(long companyId, OffsetDateTime now, OffsetDateTime until, String reason) {
        int updated = jdbc.update(PAUSE_UPDATE, now, until, reason, companyId);
        if (updated == 0) {
            try {
                jdbc.update(PAUSE_INSERT, companyId, now, until, reason);
            } catch (DuplicateKeyException pausedMeanwhile) {
                jdbc.update(PAUSE_EXTEND, until, companyId);
            }
        }
        // the company's other due pushes wait for the pause too: left due, every claim would read past them all
        jdbc.update(PAUSE_DUE, until, companyId, until);
        audit.record(AccountPushes.ACTOR, companyId, "company", String.valueOf(companyId), "push-paused",
                "authentication_failed", Map.of("pausedUntil", until.toString()));
        LOG.warn("Company {}: Ministra refused the API credentials; its pushes pause until {}", companyId, until);
    }

    /** Whether the company was changed so recently that a node may still have called with its old credentials. */
    private boolean credentialsJustChanged(long companyId) {
        return !jdbc.queryForList(CREDENTIALS_JUST_CHANGED, Long.class, companyId).isEmpty();
    }

    private String serialise(Map<String, Object> payload) {
        try {
            return truncate(json.writeValueAsString(payload), 20000);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
