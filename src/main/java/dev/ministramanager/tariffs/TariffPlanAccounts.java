package dev.ministramanager.tariffs;

import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /tariffs/{id}/accounts} (TariffPlans.accounts), for the OpenAPI document only; see TariffPlanAnswer. */
@Schema(name = "TariffPlanAccounts", description = "A page of the accounts on a tariff plan, by login")
public record TariffPlanAccounts(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "7") long tariffId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "active") String tariffStatus,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "812") long total,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "100") int limit,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int offset,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Item> items) {

    /** One account on the plan. */
    @Schema(name = "TariffPlanAccount", description = "An account on the tariff plan")
    public record Item(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "17") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String accountNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "John Doe")
            String fullName,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
            String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "00:1A:79:12:34:56")
            String stbMac,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime expiresAt) {
    }
}
