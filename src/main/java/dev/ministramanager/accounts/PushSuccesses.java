package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records pushes that succeeded, in batches: Ministra matches the version each claim read, so each account is
 * synced, or pending again if it changed meanwhile. A claim no longer ours is left alone. Should recording fail, the
 * claims' leases run out and the accounts are pushed again, finding Ministra matching.
 */
final class PushSuccesses {

    private static final Logger LOG = LoggerFactory.getLogger(PushSuccesses.class);
    private static final String HELD_CLAIMS = SqlStatements.load("accounts-push-held-claims");
    private static final String RECORD_SYNCED = SqlStatements.load("accounts-push-record-synced");
    private static final String LOCK_CLAIM = SqlStatements.load("accounts-push-lock-claim");
    private static final String DELETE_ACCOUNT = SqlStatements.load("accounts-push-delete-account");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final Clock clock;
    private final MinistraCircuits circuits;
    private final PushOutcomes outcomes;
    /**
     * A successful push is recorded without waiting for the write-ahead log to reach the disk (PostgreSQL's
     * {@code synchronous_commit = off} for that transaction only): the workers' pace is then Ministra's, not the
     * disk's. Should the database crash within the moment before the flush, the record is lost and its lease runs
     * out, so the account is pushed again, and the push finds Ministra already matching; nothing the API answered
     * is ever committed this way. Null on H2.
     */
    private final String commitWithoutFlush;
    /** On PostgreSQL a batch of pushes is recorded in one statement; else null (one a push). */
    private final String recordSyncedBatch;

    PushSuccesses(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, TransactionTemplate transaction,
                  AuditTrail audit, Clock clock, SqlDialect dialect, MinistraCircuits circuits, PushOutcomes outcomes) {
        this.jdbc = jdbc;
        this.named = named;
        this.transaction = transaction;
        this.audit = audit;
        this.clock = clock;
        this.circuits = circuits;
        this.outcomes = outcomes;
        this.commitWithoutFlush = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("accounts-push-commit-without-flush", dialect) : null;
        this.recordSyncedBatch = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("accounts-push-record-synced-batch", dialect) : null;
    }

    /**
     * One transaction for the batch; an account removed in Ministra is deleted here in a transaction of its own.
     */
    void record(List<Exchange> pushes) {
        List<PushConversation> updated = new ArrayList<>();
        Map<Long, String> tokens = new HashMap<>();
        Map<Long, Long> latencyByAnsweringCompany = new HashMap<>();
        for (Exchange push : pushes) {
            PushConversation conversation = push.getVariable(AccountPushes.CONVERSATION, PushConversation.class);
            PushClaim claim = push.getVariable(AccountPushes.CLAIM, PushClaim.class);
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
        OffsetDateTime now = AccountPushes.utcNow(clock);
        try {
            int recorded = transaction.execute(tx -> {
                if (commitWithoutFlush != null) {
                    jdbc.execute(commitWithoutFlush);
                }
                Set<Long> held = new HashSet<>();
                Long[] ids = tokens.keySet().toArray(Long[]::new);
                named.query(HELD_CLAIMS, Map.of("ids", ids), (RowCallbackHandler) rs -> {
                    if (rs.getString(2) != null && rs.getString(2).equals(tokens.get(rs.getLong(1)))) {
                        held.add(rs.getLong(1));
                    }
                });
                List<DesiredAccount> synced = new ArrayList<>();
                List<AuditTrail.Event> events = new ArrayList<>();
                for (PushConversation conversation : updated) {
                    if (held.contains(conversation.desired().id())) {
                        synced.add(conversation.desired());
                        events.add(pushed(conversation));
                    }
                }
                recordSynced(synced, now);
                audit.recordAll(events);
                return synced.size();
            });
            outcomes.count("synced", recorded);
        } catch (RuntimeException e) {
            LOG.warn("{} pushes succeeded but were not recorded; they are pushed again after their leases: {}",
                    updated.size(), e.toString());
        }
    }

    private void recordSynced(List<DesiredAccount> synced, OffsetDateTime now) {
        if (synced.isEmpty()) {
            return;
        }
        if (recordSyncedBatch == null) {
            jdbc.batchUpdate(RECORD_SYNCED, synced.stream().map(desired -> new Object[] {desired.version(),
                desired.passwordVersion(), now, now, desired.version(), desired.id()}).toList());
            return;
        }
        jdbc.update(recordSyncedBatch, now, now, synced.stream().map(DesiredAccount::id).toArray(Long[]::new),
                synced.stream().map(DesiredAccount::version).toArray(Long[]::new),
                synced.stream().map(DesiredAccount::passwordVersion).toArray(Long[]::new));
    }

    private void recordDeleted(PushConversation conversation, PushClaim claim) {
        DesiredAccount desired = conversation.desired();
        boolean recorded = Boolean.TRUE.equals(transaction.execute(tx -> {
            if (jdbc.queryForList(LOCK_CLAIM, desired.id(), claim.token()).isEmpty()) {
                return false;
            }
            jdbc.update(DELETE_ACCOUNT, desired.id(), desired.version());
            audit.recordAll(List.of(pushed(conversation)));
            return true;
        }));
        if (recorded) {
            outcomes.count("synced", 1);
        }
    }

    private static AuditTrail.Event pushed(PushConversation conversation) {
        DesiredAccount desired = conversation.desired();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operation", conversation.operation());
        details.put("version", desired.version());
        details.put("written", conversation.written().isEmpty() ? List.of() : conversation.written());
        return new AuditTrail.Event(AccountPushes.ACTOR, desired.companyId(), AccountCommands.SUBJECT,
                AccountRules.key(desired.login()), "push", "ok", details);
    }
}
