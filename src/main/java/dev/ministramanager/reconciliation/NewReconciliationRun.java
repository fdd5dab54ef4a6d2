package dev.ministramanager.reconciliation;

import dev.ministramanager.api.JsonRequests.Validated;

/**
 * Body of {@code POST /reconciliation/runs} (may be empty). {@code fullListing}: also list every Ministra account to
 * find the ones only Ministra has; defaults to whether the installation allows it
 * ({@code mm.reconciliation.full-listing-enabled}).
 */
public record NewReconciliationRun(Boolean fullListing) implements Validated {

    @Override
    public void validate() {
        // every combination is well-formed; whether a full listing is allowed is the installation's decision
    }
}
