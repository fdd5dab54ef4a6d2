package dev.ministramanager.companies;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /companies/{companyId}/test-connection} (ConnectionTests), for the OpenAPI document only. */
@Schema(name = "ConnectionTest", description = "How the company's Ministra answered GET tariffs")
public record ConnectionTestAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"ok", "authentication_failed",
            "unreachable", "server_error", "not_ministra"}) String outcome,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Ministra answered with 2 tariff plan(s).")
        String detail,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "38") Long latencyMs) {
}
