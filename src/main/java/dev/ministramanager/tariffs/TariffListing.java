package dev.ministramanager.tariffs;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.ministra.MinistraResult;

/**
 * Ministra's answer to {@code GET tariffs}, read strictly: only an array of well-formed plan objects is a listing.
 * Anything else (a null or object result, PHP output inside the envelope, a plan without an id) refuses the whole
 * answer, so "listing unavailable" can never be mistaken for "no plans".
 */
record TariffListing(List<Plan> plans, int skipped) {

    /** A plan as Ministra lists it; {@code daysToExpiresSent} is false when Ministra (before 5.5) has no such field. */
    record Plan(String externalId, String remoteId, String name, boolean userDefault, boolean daysToExpiresSent,
                Integer daysToExpires, List<PlanPackage> packages) {
    }

    record PlanPackage(String externalId, String remoteId, String name, String type, BigDecimal price,
                       boolean optional, int position) {
    }

    static TariffListing read(MinistraResult result) {
        if (result.phpOutput() != null) {
            throw CatalogueRefused.held("php_output", "Ministra printed PHP output into the tariff listing ("
                    + preview(result.phpOutput()) + "); the listing may be incomplete, so it was not applied");
        }
        JsonNode results = result.results();
        if (results == null || !results.isArray()) {
            throw CatalogueRefused.failed("listing_not_a_list", "Ministra's tariff listing is not a list but "
                    + (results == null || results.isNull() ? "null" : results.getNodeType().name().toLowerCase()));
        }
        List<Plan> plans = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int skipped = 0;
        for (JsonNode item : results) {
            Plan plan = plan(item);
            // accounts address plans by external id: an empty one cannot be used, and Ministra resolves a repeated
            // one to the first plan that has it
            if (plan.externalId().isEmpty() || !seen.add(plan.externalId())) {
                skipped++;
            } else {
                plans.add(plan);
            }
        }
        return new TariffListing(List.copyOf(plans), skipped);
    }

    private static Plan plan(JsonNode item) {
        if (!item.isObject()) {
            throw malformed("a plan is not an object");
        }
        String remoteId = requiredScalar(item, "id");
        String externalId = requiredScalar(item, "external_id");
        JsonNode packages = item.get("packages");
        if (packages == null || !packages.isArray()) {
            throw malformed("plan '" + externalId + "' has no package list");
        }
        List<PlanPackage> members = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode pkg : packages) {
            if (!pkg.isObject()) {
                throw malformed("a package of plan '" + externalId + "' is not an object");
            }
            String packageId = requiredScalar(pkg, "external_id");
            if (seen.add(packageId)) {
                members.add(new PlanPackage(packageId, requiredScalar(pkg, "id"), text(pkg, "name"),
                        text(pkg, "type"), price(pkg, externalId), "1".equals(text(pkg, "optional")),
                        members.size()));
            }
        }
        boolean daysSent = item.has("days_to_expires");
        return new Plan(externalId, remoteId, text(item, "name"), "1".equals(text(item, "user_default")), daysSent,
                daysSent ? days(item.get("days_to_expires"), externalId) : null, List.copyOf(members));
    }

    private static String requiredScalar(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw malformed("an entry has no " + key);
        }
        return value.asText();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static BigDecimal price(JsonNode pkg, String plan) {
        String price = text(pkg, "price").trim();
        if (price.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(price);
        } catch (NumberFormatException e) {
            throw malformed("a package of plan '" + plan + "' has the price '" + price + "'");
        }
    }

    private static Integer days(JsonNode value, String plan) {
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value.asText().trim());
        } catch (NumberFormatException e) {
            throw malformed("plan '" + plan + "' has days_to_expires '" + value.asText() + "'");
        }
    }

    private static CatalogueRefused malformed(String detail) {
        return CatalogueRefused.failed("malformed_listing", "Ministra's tariff listing is malformed: " + detail);
    }

    private static String preview(String text) {
        String flat = text.replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }
}
