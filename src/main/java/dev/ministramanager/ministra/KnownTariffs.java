package dev.ministramanager.ministra;

/**
 * The company's tariff plans as last synced from its Ministra. Ministra silently turns an unknown {@code tariff_plan}
 * into its default plan, so the client refuses to send one that is not an active plan of the company.
 */
public interface KnownTariffs {

    /** Whether {@code externalId} is a plan of the company that its Ministra listed in the last sync. */
    boolean isActivePlan(long companyId, String externalId);
}
