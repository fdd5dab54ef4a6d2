package dev.ministramanager.reconciliation;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/** Body of {@code PUT /companies/{companyId}/reconciliation-policy}. */
public record PolicyChange(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"report", "enforce", "adopt"}) String policy) implements Validated {

    static final Set<String> POLICIES = Set.of("report", "enforce", "adopt");

    @Override
    public void validate() {
        if (policy == null || !POLICIES.contains(policy)) {
            throw ProblemException.invalidField("policy", "policy must be report, enforce or adopt.");
        }
    }
}
