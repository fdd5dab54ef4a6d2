package dev.ministramanager.openapi;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.tags.Tag;

/**
 * The capabilities the operations are tagged with (the REST DSL's {@code tag} of each rest block), in the order an
 * integrator meets them, each with what it covers: the REST DSL gives a tag a name only. The reference shows the
 * operations in this order; a tag not listed here is appended without a description, and
 * {@code OpenApiContractTest} names it.
 */
final class CapabilityTags {

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("Accounts", "Subscriber accounts: create, provision, change, activate and deactivate; each"
                + " change is pushed to the company's Ministra, and the answer says where it stands.");
        DESCRIPTIONS.put("Billing customers", "Every account of one billing customer at once: suspend on"
                + " non-payment, restore when paid.");
        DESCRIPTIONS.put("Tariff plans", "The tariff plans synced from each company's Ministra, their accounts and"
                + " the sync runs.");
        DESCRIPTIONS.put("Status", "What Ministra says about accounts and boxes: pulls, snapshots, the online"
                + " summary, a company's fleet refresh.");
        DESCRIPTIONS.put("Reconciliation", "Our accounts compared with Ministra's: runs, findings, adoption, and each"
                + " company's policy.");
        DESCRIPTIONS.put("STB commands", "Commands to subscribers' set-top boxes (reboot, reload the portal,"
                + " messages ...), sent through Ministra and audited.");
        DESCRIPTIONS.put("Dead letters", "Pushes Ministra refused for good: read them, replay them once fixed, or"
                + " discard them.");
        DESCRIPTIONS.put("Imports", "Onboarding: adopt a company's existing Ministra accounts, or create and change"
                + " accounts from a billing CSV export.");
        DESCRIPTIONS.put("Companies", "The ISPs served, each with its own Ministra and connection settings.");
        DESCRIPTIONS.put("Users", "API users: their role, companies, password and tokens.");
        DESCRIPTIONS.put("Events", "What changed: as server-sent events that stay open (GET /events/stream), or"
                + " as a feed for scripts that poll (GET /events).");
        DESCRIPTIONS.put("Webhooks", "Signed HTTP callbacks for events: endpoints, deliveries and delivery dead"
                + " letters.");
        DESCRIPTIONS.put("Console", "The operator console's session and dashboard.");
    }

    private CapabilityTags() {
    }

    static void addTo(OpenAPI openApi) {
        Set<String> used = new LinkedHashSet<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
                if (operation.getTags() != null) {
                    used.addAll(operation.getTags());
                }
            }));
        }
        openApi.setTags(null);
        DESCRIPTIONS.forEach((name, description) -> {
            if (used.remove(name)) {
                openApi.addTagsItem(new Tag().name(name).description(description));
            }
        });
        used.forEach(name -> openApi.addTagsItem(new Tag().name(name)));
    }
}
