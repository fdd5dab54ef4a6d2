package dev.ministramanager.accounts;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the push routes ({@code routes/accounts-push.camel.yaml}): claim due pushes atomically (so several
 * nodes share the work without two pushing one account at once), run each push's {@link PushConversation}, and record
 * how it ended: synced, retrying later (transient failure, exponential backoff with jitter, durable in the database
 * so a restart resumes it), dead-lettered (permanent failure or attempts exhausted), paused (Ministra refused our
 * credentials: the company's pushes wait instead of burning retries) or waiting (the company's Ministra is down, its
 * {@link MinistraCircuits circuit} open: no attempt is spent).
 */
public class AccountPushes {

    public static final String CONVERSATION = "push";
    public static final String PUSHING = "pushing";
    public static final String CLAIM = "claim";
    static final String ACTOR = "ministra-push";
    private static final Logger LOG = LoggerFactory.getLogger(AccountPushes.class);
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Longer than a node remembers a company's Ministra settings (one second) plus a call. */
    private static final Duration CREDENTIALS_SETTLING = Duration.ofSeconds(3);
    /** The outcomes of a push attempt, as counted in mm_accounts_pushes_total{outcome}. */
    private static final List<String> PUSH_OUTCOMES = List.of("synced", "retrying", "waiting", "dead", "paused", "lost");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final PushSettings settings;
    private final String claimSql;
    /**
     * A successful push is recorded without waiting for the write-ahead log to reach the disk (PostgreSQL's
     * {@code synchronous_commit = off} for that transaction only): the workers' pace is then Ministra's, not the
     * disk's. Should the database crash within the moment before the flush, the record is lost and its lease runs
     * out, so the account is pushed again, and the push finds Ministra already matching; nothing the API answered
     * is ever committed this way.
     */
    private final boolean recordWithoutWaitingForDisk;
    private final String node = "node-" + UUID.randomUUID();
    /**
     * Claimed pushes this node has not finished: the workers' and twice as many queued, so that a worker never waits
     * for the next claim, and claims never outrun the workers.
     */
    private final Semaphore slots;
    private final int batchWorthClaiming;
    private final MeterRegistry metrics;
    private final MinistraCircuits circuits;

    public AccountPushes(DataSource dataSource, SecretCipher cipher, AuditTrail audit, ObjectMapper json, Clock clock,
                         PushSettings settings, SqlDialect dialect, String claimSql, MeterRegistry metrics,
                         MinistraCircuits circuits) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cipher = cipher;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.claimSql = claimSql;
        this.recordWithoutWaitingForDisk = dialect == SqlDialect.POSTGRESQL;
        this.slots = new Semaphore(3 * settings.workers());
        this.batchWorthClaiming = Math.max(1, settings.workers() / 2);
        this.metrics = metrics;
        this.circuits = circuits;
        Gauge.builder("mm.accounts.push.paused.companies", this, AccountPushes::pausedCompanies)
                .description("Companies whose pushes are paused because their Ministra refused our credentials")
                .register(metrics);
        // every series at zero from the start, so that dashboards and alerts see them before the first push
        PUSH_OUTCOMES.forEach(outcome -> outcomes(outcome, 0));
        authenticationFailures();
    }

    /**
     * Claims due pushes for the free worker slots, waiting briefly for a slot when all are busy. Atomic in one
     * statement ({@code UPDATE … RETURNING} / {@code FINAL TABLE}), so no two nodes claim one account; a claim is a
     * lease, so a crashed node's claims are taken over once their lease has run out.
     */
    public List<PushClaim> claim() throws InterruptedException {
        if (!slots.tryAcquire(250, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        // take every free slot; when only a few are free, wait briefly for more: one claim statement (one commit)
        // per pushed account would make the claim, not Ministra, the bottleneck, while the claims already queued
        // (up to a second batch of workers) keep the workers busy meanwhile
        int wanted = 1 + slots.drainPermits();
        long gatherUntil = System.nanoTime() + GATHER_NANOS;
        while (wanted < batchWorthClaiming && slots.tryAcquire(Math.max(0, gatherUntil - System.nanoTime()),
                TimeUnit.NANOSECONDS)) {
            wanted += 1 + slots.drainPermits();
        }
        List<PushClaim> claims = List.of();
        try {
            OffsetDateTime now = now();
            String token = UUID.randomUUID().toString();
            List<Long> claimed = named.query(claimSql, new MapSqlParameterSource()
                            .addValue("token", token)
                            .addValue("owner", node)
                            .addValue("now", now)
                            .addValue("leaseUntil", now.plus(settings.lease()))
                            .addValue("limit", wanted),
                    (rs, i) -> rs.getLong(1));
            if (!claimed.isEmpty()) {
                // what each claimed account must look like, read in one statement for the whole batch
                claims = named.query(DesiredAccount.SELECT, new MapSqlParameterSource()
                                .addValue("token", token)
                                .addValue("ids", claimed),
                        (rs, i) -> new PushClaim(token, DesiredAccount.read(rs)));
            }
            return claims;
        } finally {
            slots.release(wanted - claims.size());
        }
    }

    /**
     * Starts the conversation with what the claim read; the worker's slot is freed when the push has failed, or has
     * succeeded and joined a batch to record (the completion moves with the exchange to
     * {@code seda:account-push-record}).
     */
    public void begin(Exchange exchange) {
        PushClaim claim = exchange.getMessage().getBody(PushClaim.class);
        exchange.setVariable(CLAIM, claim);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                slots.release();
            }
        });
        PushConversation conversation = PushConversation.start(claim.desired(), cipher, settings.sendExpiry(),
                settings.ministraZone());
        exchange.setVariable(CONVERSATION, conversation);
        next(exchange, conversation);
    }

    /**
     * Continues the conversation with what Ministra answered. A Ministra ERROR answer that tells what Ministra has
     * (login in use, account not found) continues it too; any other failure is thrown, to this route's dead-letter
     * channel.
     */
    public void answered(Exchange exchange) {
        PushConversation conversation = exchange.getVariable(CONVERSATION, PushConversation.class);
        Throwable failed = exchange.getVariable(MinistraAnswer.FAILURE, Throwable.class);
        if (failed == null) {
            conversation.answered(exchange.getVariable(MinistraAnswer.RESULT, MinistraResult.class));
        } else if (failed instanceof MinistraFailure failure && failure.kind() == MinistraFailure.Kind.REJECTED) {
            conversation.rejected(failure);
        } else if (failed instanceof RuntimeException unchecked) {
            throw unchecked;
        } else {
            throw new IllegalStateException("The Ministra call failed", failed);
        }
        next(exchange, conversation);
    }

    /**
     * Records pushes that succeeded, gathered by the record route: Ministra matches the version each claim read, so
     * each account is synced, or pending again if it changed meanwhile. One transaction for the batch; an account
     * removed in Ministra is deleted here in a transaction of its own. A claim no longer ours is left alone. Should
     * recording fail, the claims' leases run out and the accounts are pushed again, finding Ministra matching.
     */
    public void recordSucceeded(List<Exchange> pushes) {
        List<PushConversation> updated = new ArrayList<>();
        Map<Long, String> tokens = new HashMap<>();
        Map<Long, Long> latencyByAnsweringCompany = new HashMap<>();
        for (Exchange push : pushes) {
            PushConversation conversation = push.getVariable(CONVERSATION, PushConversation.class);
            PushClaim claim = push.getVariable(CLAIM, PushClaim.class);
            MinistraResult lastAnswer = push.getVariable(MinistraAnswer.RESULT, MinistraResult.class);
            if (lastAnswer != null) {
                latencyByAnsweringCompany.put(claim.desired().companyId(), lastAnswer.latencyMillis());
            } else {
                // answered by a refusal that tells what Ministra has: no latency measured
                latencyByAnsweringCompany.putIfAbsent(claim.desired().companyId(), null);
            }
            try {
                if (conversation.desired().deleted()) {
                    recordDeleted(conversation, claim);
                } else {
                    updated.add(conversation);
                    tokens.put(claim.accountId(), claim.token());
                }
            } catch (RuntimeException e) {
                LOG.warn("Push of account {} succeeded but was not recorded; it is pushed again after its lease: {}",
                        claim.accountId(), e.toString());
            }
        }
        circuits.succeeded(latencyByAnsweringCompany);
        if (updated.isEmpty()) {
            return;
        }
        OffsetDateTime now = now();
        try {
            int recorded = transaction.execute(tx -> {
                if (recordWithoutWaitingForDisk) {
                    jdbc.execute("SET LOCAL synchronous_commit TO OFF");
                }
                Set<Long> held = new HashSet<>();
                named.query("SELECT account_id, claim_token FROM account_push WHERE account_id IN (:ids)"
                                + " ORDER BY account_id FOR UPDATE", Map.of("ids", tokens.keySet()),
                        (RowCallbackHandler) rs -> {
                            if (rs.getString(2) != null && rs.getString(2).equals(tokens.get(rs.getLong(1)))) {
                                held.add(rs.getLong(1));
                            }
                        });
                List<Object[]> rows = new ArrayList<>();
                List<AuditTrail.Event> events = new ArrayList<>();
                for (PushConversation conversation : updated) {
                    DesiredAccount desired = conversation.desired();
                    if (held.contains(desired.id())) {
                        rows.add(new Object[] {desired.version(), desired.passwordVersion(), now, now,
                                desired.version(), desired.id()});
                        events.add(pushed(conversation));
                    }
                }
                jdbc.batchUpdate("UPDATE account_push SET pushed_version = ?, pushed_password_version = ?,"
                        + " last_pushed_at = ?, attempts = 0, failing_since = NULL, last_error = NULL,"
                        + " last_error_kind = NULL, next_attempt_at = ?, claim_token = NULL, lease_owner = NULL,"
                        + " lease_until = NULL,"
                        + " state = CASE WHEN requested_version <= ? THEN 'synced' ELSE 'pending' END"
                        + " WHERE account_id = ?", rows);
                audit.recordAll(events);
                return rows.size();
            });
            outcomes("synced", recorded);
        } catch (RuntimeException e) {
            LOG.warn("{} pushes succeeded but were not recorded; they are pushed again after their leases: {}",
                    updated.size(), e.toString());
        }
    }

    private void recordDeleted(PushConversation conversation, PushClaim claim) {
        DesiredAccount desired = conversation.desired();
        boolean recorded = Boolean.TRUE.equals(transaction.execute(tx -> {
            if (!holds(desired.id(), claim.token())) {
                return false;
            }
            jdbc.update("DELETE FROM account WHERE id = ? AND version = ?", desired.id(), desired.version());
            audit.recordAll(List.of(pushed(conversation)));
            return true;
        }));
        if (recorded) {
            outcomes("synced", 1);
        }
    }

    private static AuditTrail.Event pushed(PushConversation conversation) {
        DesiredAccount desired = conversation.desired();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operation", conversation.operation());
        details.put("version", desired.version());
        details.put("written", conversation.written().isEmpty() ? List.of() : conversation.written());
        return new AuditTrail.Event(ACTOR, desired.companyId(), AccountCommands.SUBJECT, AccountRules.key(desired.login()),
                "push", "ok", details);
    }

    /**
     * The dead-letter channel of the push route: decides what the failure means. Retries are scheduled in the
     * database (not held in memory), so the sync state shows them and a restart resumes them.
     */
    public void failed(Exchange exchange) {
        PushClaim claim = exchange.getMessage().getBody(PushClaim.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PushConversation conversation = exchange.getVariable(CONVERSATION, PushConversation.class);
        MinistraFailure failure = cause instanceof MinistraFailure known ? known : null;
        String kind = failure == null ? "internal" : failure.kind().id();
        String detail = truncate(cause == null ? "unknown failure" : String.valueOf(cause.getMessage()), 2000);
        OffsetDateTime now = now();
        boolean countsAgainstMinistra = failure != null && failure.kind().isTransient();
        if (countsAgainstMinistra) {
            circuits.ensureRow(claim.desired().companyId());
        }
        OffsetDateTime[] parkUntil = new OffsetDateTime[1];
        String result = transaction.execute(tx -> {
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT company_id, attempts FROM account_push"
                    + " WHERE account_id = ? AND claim_token = ? FOR UPDATE", claim.accountId(), claim.token());
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
                jdbc.update("UPDATE account_push SET state = 'retrying', next_attempt_at = ?, last_error = ?,"
                        + " last_error_kind = ?, claim_token = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE account_id = ?", until, detail, kind, claim.accountId());
                return settling ? "retrying" : "paused";
            }
            if (countsAgainstMinistra) {
                MinistraCircuits.Verdict verdict = circuits.transientFailure(companyId, failure, detail, now);
                if (verdict.open()) {
                    // Ministra is down for the whole company: the push waits for it without spending an attempt
                    jdbc.update("UPDATE account_push SET next_attempt_at = ?, failing_since = COALESCE(failing_since,"
                            + " ?), last_error = ?, last_error_kind = ?, claim_token = NULL, lease_owner = NULL,"
                            + " lease_until = NULL WHERE account_id = ?", verdict.nextProbeAt(), now, detail, kind,
                            claim.accountId());
                    parkUntil[0] = verdict.opened() ? verdict.nextProbeAt() : null;
                    return "waiting";
                }
            }
            boolean retry = (failure == null || failure.kind().isTransient()) && attempts < settings.maxAttempts();
            if (retry) {
                Duration delay = settings.retryDelay(attempts, ThreadLocalRandom.current().nextDouble());
                jdbc.update("UPDATE account_push SET state = 'retrying', attempts = ?, next_attempt_at = ?,"
                        + " failing_since = COALESCE(failing_since, ?), last_error = ?, last_error_kind = ?,"
                        + " claim_token = NULL, lease_owner = NULL, lease_until = NULL WHERE account_id = ?",
                        attempts, now.plus(delay), now, detail, kind, claim.accountId());
                return "retrying";
            }
            long deadLetter = deadLetter(claim.accountId(), companyId, conversation, failure, kind, detail, attempts,
                    now);
            jdbc.update("UPDATE account_push SET state = 'dead', attempts = ?, dead_letter_id = ?,"
                    + " failing_since = COALESCE(failing_since, ?), last_error = ?, last_error_kind = ?,"
                    + " claim_token = NULL, lease_owner = NULL, lease_until = NULL WHERE account_id = ?",
                    attempts, deadLetter, now, detail, kind, claim.accountId());
            return "dead";
        });
        if (parkUntil[0] != null) {
            circuits.parkWaitingPushes(claim.desired().companyId(), parkUntil[0]);
        }
        outcome(result);
        if (result.equals("paused")) {
            authenticationFailures().increment();
        }
        LOG.warn("Push of account {} {}: {} ({})", claim.accountId(), result, detail, kind);
    }

    private long deadLetter(long accountId, long companyId, PushConversation conversation, MinistraFailure failure,
                            String kind, String detail, int attempts, OffsetDateTime now) {
        Map<String, Object> row = jdbc.queryForMap("SELECT a.login, p.failing_since FROM account a"
                + " JOIN account_push p ON p.account_id = a.id WHERE a.id = ?", accountId);
        String login = (String) row.get("login");
        String operation = conversation == null ? "unknown" : conversation.operation();
        String payload = conversation == null ? null : serialise(conversation.maskedRequest());
        // chosen here, not by COALESCE(?, ?) in SQL: H2 cannot type a parameter whose only context is another one
        Object firstFailedAt = row.get("failing_since") != null ? row.get("failing_since") : now;
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letter (company_id, account_id,"
                    + " login, operation, cause, ministra_error, detail, attempts, first_failed_at, dead_at, payload,"
                    + " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')", new String[] {"id"});
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
        audit.record(ACTOR, companyId, AccountCommands.SUBJECT, AccountRules.key(login), "dead-letter", kind, details);
        return id;
    }

    private void pause(long companyId, OffsetDateTime now, OffsetDateTime until, String reason) {
        int updated = jdbc.update("UPDATE push_pause SET paused_at = ?, paused_until = ?, reason = ?"
                + " WHERE company_id = ?", now, until, reason, companyId);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO push_pause (company_id, paused_at, paused_until, reason) VALUES (?, ?, ?, ?)",
                        companyId, now, until, reason);
            } catch (DuplicateKeyException pausedMeanwhile) {
                jdbc.update("UPDATE push_pause SET paused_until = ? WHERE company_id = ?", until, companyId);
            }
        }
        // the company's other due pushes wait for the pause too: left due, every claim would read past them all
        jdbc.update("UPDATE account_push SET next_attempt_at = ? WHERE company_id = ? AND state IN ('pending',"
                + " 'retrying') AND next_attempt_at < ?", until, companyId, until);
        audit.record(ACTOR, companyId, "company", String.valueOf(companyId), "push-paused", "authentication_failed",
                Map.of("pausedUntil", until.toString()));
        LOG.warn("Company {}: Ministra refused the API credentials; its pushes pause until {}", companyId, until);
    }

    /** Whether the company was changed so recently that a node may still have called with its old credentials. */
    private boolean credentialsJustChanged(long companyId) {
        return !jdbc.queryForList("SELECT id FROM company WHERE id = ? AND updated_at > CURRENT_TIMESTAMP - INTERVAL"
                + " '3' SECOND", Long.class, companyId).isEmpty();
    }

    private boolean holds(long accountId, String token) {
        return !jdbc.queryForList("SELECT account_id FROM account_push WHERE account_id = ? AND claim_token = ?"
                + " FOR UPDATE", Long.class, accountId, token).isEmpty();
    }

    private double pausedCompanies() {
        try {
            Integer paused = jdbc.queryForObject("SELECT COUNT(*) FROM push_pause WHERE paused_until > ?",
                    Integer.class, now());
            return paused == null ? 0 : paused;
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }

    private Counter authenticationFailures() {
        return Counter.builder("mm.accounts.push.authentication.failures")
                .description("Pushes refused with HTTP 401 by a company's Ministra (the company is paused)")
                .register(metrics);
    }

    private void outcome(String outcome) {
        outcomes(outcome, 1);
    }

    private void outcomes(String outcome, int count) {
        Counter.builder("mm.accounts.pushes").description("Finished push attempts by outcome")
                .tag("outcome", outcome).register(metrics).increment(count);
    }

    private static void next(Exchange exchange, PushConversation conversation) {
        exchange.setVariable(PUSHING, conversation.isPending());
        exchange.getMessage().setBody(conversation.isPending() ? conversation.request() : null);
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

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
