package dev.ministramanager.tariffs;

import java.time.OffsetDateTime;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A tariff sync run as the API answers it (TariffPlans' run view), for the OpenAPI document only: named by the REST
 * DSL as {@code responseModel}, and real answers are validated against it in ApiAnswersMatchTheContractTest.
 */
@Schema(name = "TariffSyncRun", description = "One sync of a company's tariff plans from its Ministra")
public record SyncRunAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "7") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"schedule", "user"})
        String trigger,
        @Schema(nullable = true, example = "admin") String actor,
        @Schema(nullable = true) OffsetDateTime scheduledFor,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime finishedAt,
        @Schema(nullable = true, description = "succeeded, failed or held; null while running",
                example = "succeeded") String outcome,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") int attempts,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Counts counts,
        @Schema(nullable = true, description = "The classified failure of a failed or held run") Failure error) {

    /** What the run did to the plans. */
    @Schema(name = "TariffSyncCounts")
    public record Counts(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2") int created,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int updated,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int archived,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int unchanged,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int skipped) {
    }

    /** Why it failed or was held. */
    @Schema(name = "TariffSyncError")
    public record Failure(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "unreachable") String kind,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Ministra answered 503")
            String detail) {
    }
}
