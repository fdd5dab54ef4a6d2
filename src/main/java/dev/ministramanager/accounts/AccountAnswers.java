package dev.ministramanager.accounts;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The account answers besides the account itself (AccountQueries.history, AccountStatuses.setCustomerStatus,
 * AccountCommands.delete; DeadLetters.replayAll), for the OpenAPI document only; see {@link AccountAnswer}.
 */
public final class AccountAnswers {

    private AccountAnswers() {
    }

    /** One audit entry of AccountQueries.history. */
    @Schema(name = "AuditEntry", description = "One change or action recorded on the account, newest first")
    public record HistoryEntry(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "billing") String actor,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "update") String action,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ok") String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "What changed"
                    + " (secrets masked)", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            Map<String, Object> details) {
    }

    /** AccountStatuses.setCustomerStatus. */
    @Schema(name = "CustomerStatusChange", description = "Every account of a billing customer, activated or"
            + " deactivated")
    public record CustomerStatus(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "C-100") String customerRef,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
            String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2") long changed,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") long unchanged,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<CustomerAccount> accounts) {
    }

    /** One account of AccountStatuses.setCustomerStatus. */
    @Schema(name = "CustomerAccountOutcome", description = "One account of the customer and what the change did")
    public record CustomerAccount(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"changed", "unchanged"})
            String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
            String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "4") long version,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) AccountAnswer.Sync sync) {
    }

    /** AccountCommands.delete. */
    @Schema(name = "AccountDeleted", description = "The account deleted (a draft at once; otherwise its deletion"
            + " in Ministra is queued)")
    public record Deleted(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "true") boolean deleted,
            @Schema(description = "200 only: it was a draft") Boolean draft,
            @Schema(description = "202 only: the queued deletion") AccountAnswer.Sync sync) {
    }

    /** DeadLetters.replayAll. */
    @Schema(name = "DeadLetterBulkReplay", description = "A result per dead letter that matched the filter")
    public record BulkReplay(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long replayed,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<BulkReplayItem> results) {
    }

    /** One dead letter of DeadLetters.replayAll. */
    @Schema(name = "DeadLetterBulkReplayItem", description = "One dead letter: replayed, or skipped and why")
    public record BulkReplayItem(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "42") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"replayed", "skipped"})
            String outcome,
            @Schema(description = "skipped: why", example = "Dead letter 12 is already replayed.") String detail) {
    }
}
