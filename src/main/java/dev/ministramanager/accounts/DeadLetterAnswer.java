package dev.ministramanager.accounts;

import java.time.OffsetDateTime;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A dead letter as the API answers it (DeadLetters' view), for the OpenAPI document only: named by the REST DSL
 * as {@code responseModel}, and real answers are validated against it in ApiAnswersMatchTheContractTest.
 */
@Schema(name = "DeadLetter", description = "A push that failed for good, waiting for a replay or a discard")
public record DeadLetterAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "42") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "create") String operation,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The classified cause",
                example = "rejected") String cause,
        @Schema(nullable = true, description = "Ministra's error text", example = "MAC address already in use")
        String ministraError,
        @Schema(nullable = true) String detail,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") int attempts,
        @Schema(nullable = true) OffsetDateTime firstFailedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime deadAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"open", "replayed", "discarded"})
        String status,
        @Schema(nullable = true) OffsetDateTime resolvedAt,
        @Schema(nullable = true, example = "admin") String resolvedBy,
        @Schema(nullable = true, description = "The request sent to Ministra, the password masked",
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> request) {
}
