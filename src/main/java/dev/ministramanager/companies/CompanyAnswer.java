package dev.ministramanager.companies;

import java.time.OffsetDateTime;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A company as the API answers it (Companies' view), for the OpenAPI document only: the REST DSL names it as the
 * {@code responseModel} of the company operations, and ApiAnswersMatchTheContractTest validates real answers
 * against it, so the two cannot drift apart unnoticed.
 */
@Schema(name = "Company", description = "A company and its Ministra (never the Ministra password)")
public record CompanyAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Acme Cable") String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                example = "http://ministra.acme.example/stalker_portal/api/v1/") String ministraBaseUrl,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "api") String ministraUser,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean ministraPasswordSet,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "5000") int connectTimeoutMs,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "30000") int readTimeoutMs,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean enabled,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
        String defaultProvisionStatus,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long version,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime updatedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) MinistraReachability ministra) {

    /** Whether the company's Ministra answers, as its pushes found (the circuit shared by every node). */
    @Schema(name = "MinistraReachability", description = "The company's Ministra as its pushes find it: while"
            + " unreachable its pushes wait (no attempt spent) and one node probes it")
    public record MinistraReachability(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean reachable,
            @Schema(nullable = true) OffsetDateTime failingSince,
            @Schema(nullable = true, description = "While unreachable: the next probe") OffsetDateTime nextProbeAt,
            @Schema(nullable = true, example = "unreachable") String lastFailureKind,
            @Schema(nullable = true) OffsetDateTime lastFailureAt,
            @Schema(nullable = true) OffsetDateTime recoveredAt,
            @Schema(nullable = true, example = "42", description = "How many milliseconds Ministra took to answer"
                    + " when last measured (a connection test, a probe, or a push, sampled every few seconds)")
            Integer latencyMs,
            @Schema(nullable = true, description = "When latencyMs was measured") OffsetDateTime latencyMeasuredAt) {
    }
}
