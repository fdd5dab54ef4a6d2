package dev.ministramanager.reconciliation;

import java.util.List;
import java.util.Map;

/**
 * A completed run's findings acted on by the company's policy: {@code report} leaves them, {@code adopt} takes
 * Ministra's values into our records, {@code enforce} asks for our state to be pushed. All findings of one account
 * are applied together, accounts in chunks.
 */
class PolicyApplication {

    private static final int CHUNK = 500;

    private final ReconciliationStore store;
    private final Adoptions adoptions;
    private final ReconciliationEnforcement enforcement;

    PolicyApplication(ReconciliationStore store, Adoptions adoptions, ReconciliationEnforcement enforcement) {
        this.store = store;
        this.adoptions = adoptions;
        this.enforcement = enforcement;
    }

    void apply(long runId, long companyId, String policy, String actor) {
        if (policy.equals("report")) {
            return;
        }
        long after = 0;
        while (true) {
            List<Long> accountIds = store.enforceableAccounts(runId, after, CHUNK);
            if (accountIds.isEmpty()) {
                return;
            }
            Map<Long, List<Map<String, Object>>> byAccount = store.enforceableFindings(runId, accountIds);
            // all findings of one account are applied together
            byAccount.forEach((accountId, findings) -> applyTo(runId, companyId, policy, actor, accountId, findings));
            after = accountIds.get(accountIds.size() - 1);
        }
    }

    private void applyTo(long runId, long companyId, String policy, String actor, long accountId,
                       List<Map<String, Object>> findings) {
        if (policy.equals("adopt")) {
            adoptions.adoptDrift(runId, companyId, accountId, findings, actor);
            return;
        }
        String login = (String) findings.get(0).get("login");
        List<String> reasons = findings.stream().map(f -> f.get("kind").equals("drift")
                ? "drift:" + f.get("field") : (String) f.get("kind")).toList();
        String detail = enforcement.requestPush(companyId, accountId, login, String.join(",", reasons), runId,
                actor);
        String resolution = detail.equals(ReconciliationEnforcement.REQUESTED) ? "push_requested"
                : detail.equals(ReconciliationEnforcement.LEFT_DRAFT) ? "left_draft" : "left_dead";
        for (Map<String, Object> finding : findings) {
            store.resolve(finding.get("id"), resolution, detail);
        }
    }
}
