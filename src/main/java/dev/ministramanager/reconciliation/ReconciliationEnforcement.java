package dev.ministramanager.reconciliation;

import java.util.Map;

import dev.ministramanager.audit.AuditTrail;

/**
 * Where the {@code enforce} policy hands a drifted (or missing) account to the push pipeline, which re-pushes our
 * state to Ministra. That pipeline belongs to the accounts capability; until it is wired here, each request is
 * audited and its finding says "enforcement pending: push pipeline", and nothing is sent to Ministra. Wiring it means
 * replacing the body of {@link #requestPush} with the pipeline's own "push this account" intent.
 */
public class ReconciliationEnforcement {

    public static final String PENDING = "enforcement pending: push pipeline";

    private final AuditTrail audit;

    public ReconciliationEnforcement(AuditTrail audit) {
        this.audit = audit;
    }

    /** Asks for our state of the account to be pushed; answers the finding's resolution detail. */
    public String requestPush(long companyId, long accountId, String login, String reason, long runId, String actor) {
        audit.record(actor, companyId, "account", String.valueOf(accountId), "enforce", "pending",
                Map.of("login", login, "reason", reason, "reconciliationRun", runId, "detail", PENDING));
        return PENDING;
    }
}
