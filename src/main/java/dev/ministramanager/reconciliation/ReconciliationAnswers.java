package dev.ministramanager.reconciliation;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the reconciliation operations answer (ReconciliationRuns, Adoptions, ReconciliationPolicies), for the
 * OpenAPI document only: the REST DSL names these as {@code responseModel}s, and ApiAnswersMatchTheContractTest
 * validates real answers against them, so a member added to a view and not here fails that test.
 */
public final class ReconciliationAnswers {

    private ReconciliationAnswers() {
    }

    /** ReconciliationRuns.view. */
    @Schema(name = "ReconciliationRun", description = "A comparison of our accounts with Ministra's, and a page of"
            + " what it found")
    public record Run(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "5") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"report", "enforce", "adopt"})
            String policy,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Ministra's whole listing was read"
                    + " (needed to find accounts only Ministra has)") boolean fullListing,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "completed") String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String failure,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "admin") String actor,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime startedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime finishedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "910") int accounts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Drafts: counted, not compared",
                    example = "2") int drafts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "912") long remoteRows,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10") int requests,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Counts counts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) FindingPage findings) {
    }

    /** Findings per kind. */
    @Schema(name = "ReconciliationCounts", description = "The run's findings per kind")
    public record Counts(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") long drift,
            @JsonProperty("missing_in_ministra") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1")
            long missingInMinistra,
            @JsonProperty("only_in_ministra") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2")
            long onlyInMinistra) {
    }

    /** A page of ReconciliationRuns.findings. */
    @Schema(name = "ReconciliationFindingPage", description = "A page of a run's findings")
    public record FindingPage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Finding> items,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Pass as after for"
                    + " the next page; null on the last page", example = "88") Long nextAfter) {
    }

    /** One finding. */
    @Schema(name = "ReconciliationFinding", description = "A difference between our account and Ministra's")
    public record Finding(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "88") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"missing_in_ministra",
                "only_in_ministra", "drift"}) String kind,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Our account (null"
                    + " when only Ministra has it)") Long accountId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "jdoe")
            String accountNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "00:1A:79:12:34:56")
            String stbMac,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "drift: the member"
                    + " that differs", example = "tariff") String field,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "basic") String ours,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "premium") String theirs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "adopted")
            String resolution,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String resolutionDetail) {
    }

    /** Adoptions.adopt: the account created from Ministra's row. */
    @Schema(name = "AdoptedAccount", description = "The account created here from Ministra's row")
    public record Adopted(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "17") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String accountNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
            String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "basic") String tariff,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String fullName,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String phone,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "00:1A:79:12:34:56")
            String stbMac) {
    }

    /** ReconciliationPolicies.view. */
    @Schema(name = "ReconciliationPolicy", description = "What a company's reconciliation does with differences")
    public record Policy(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"report", "enforce", "adopt"})
            String policy) {
    }
}
