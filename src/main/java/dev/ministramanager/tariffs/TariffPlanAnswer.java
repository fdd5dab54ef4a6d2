package dev.ministramanager.tariffs;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A tariff plan as the API answers it (TariffPlans' view), for the OpenAPI document only: named by the REST DSL as
 * {@code responseModel}, and real answers are validated against it in ApiAnswersMatchTheContractTest.
 */
@Schema(name = "TariffPlan", description = "A tariff plan as synced from the company's Ministra")
public record TariffPlanAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "7") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Ministra's external id, as accounts"
                + " name it", example = "basic") String externalId,
        @Schema(nullable = true, description = "Ministra's numeric id", example = "1") String remoteId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Basic") String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Ministra's default plan")
        boolean userDefault,
        @Schema(nullable = true) Integer daysToExpires,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "archived"})
        String status,
        @Schema(nullable = true) OffsetDateTime archivedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime updatedAt,
        @Schema(description = "GET /tariffs/{id} only") List<Package> packages,
        @Schema(description = "GET /tariffs/{id} only: active accounts on the plan", example = "120")
        Integer activeAccounts) {

    /** A package of the plan. */
    @Schema(name = "TariffPackage")
    public record Package(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "base_tv") String externalId,
            @Schema(nullable = true) String remoteId,
            @Schema(nullable = true, example = "Base TV") String name,
            @Schema(nullable = true, example = "tv") String type,
            @Schema(nullable = true) BigDecimal price,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean optional,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "How many accounts on the plan"
                    + " subscribe to it (optional packages; 0 for the others)", example = "12") long subscribers) {
    }
}
