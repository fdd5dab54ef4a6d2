package dev.ministramanager.security;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An API user as the API answers it (ApiUserAdmin's view), for the OpenAPI document only: named by the REST DSL
 * as {@code responseModel}, and real answers are validated against it in ApiAnswersMatchTheContractTest.
 */
@Schema(name = "ApiUser", description = "An API user (never a password or a stored token)")
public record ApiUserAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "billing") String username,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"viewer", "manager", "admin"})
        String role,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean allCompanies,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The ids of the companies it sees",
                example = "[1, 2]") List<Long> companies,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean enabled,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean passwordSet,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") int activeTokens,
        @Schema(description = "Create only: its first token, shown in this answer only",
                example = "mm_12_9fQx...") String token) {
}
