package dev.ministramanager.reconciliation;

import java.util.HashSet;
import java.util.Set;

/** One reconciliation run's progress, counted as the comparison goes and stored when the run ends. */
final class ReconciliationPass {

    final long runId;
    final long companyId;
    /** MACs already reported as only in Ministra: a row found twice is reported once. */
    final Set<String> reportedMacs = new HashSet<>();
    int accounts;
    int drafts;
    long remoteRows;
    int requests;
    int findings;

    ReconciliationPass(long runId, long companyId) {
        this.runId = runId;
        this.companyId = companyId;
    }
}
