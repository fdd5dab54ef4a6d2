package dev.ministramanager.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The optional packages a subscriber buys on top of the plan ({@code packages}: package external ids). One set of
 * rules for every way an account is written (create, provision, change, and a bulk import through the same
 * {@link AccountCommands} calls): the list's shape is checked with the request ({@link #checkShape}), and before
 * anything is stored each package must be an optional package of the account's plan, the plan not archived
 * ({@link #requireOptional}); otherwise 422 naming the package, and Ministra never sees it. Stored as a sorted JSON
 * array in {@code account.packages}; NULL means never managed here, so a push leaves Ministra's subscriptions alone.
 */
final class AccountPackages {

    static final String FIELD = "packages";
    static final int MAX_PACKAGES = 50;
    private static final int EXTERNAL_ID_MAX = 100;
    private static final String PLAN = SqlStatements.load("accounts-packages-plan");
    private static final String OPTIONAL = SqlStatements.load("accounts-packages-optional");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private AccountPackages() {
    }

    /** The request's list, before any lookup: strings of 1 to 100 visible characters, no repeats, at most 50. */
    static void checkShape(List<String> packages) {
        if (packages == null) {
            return;
        }
        if (packages.size() > MAX_PACKAGES) {
            throw ProblemException.invalidField(FIELD, "Field 'packages' holds at most " + MAX_PACKAGES
                    + " packages.");
        }
        TreeSet<String> seen = new TreeSet<>();
        for (String pkg : packages) {
            if (pkg == null || pkg.isBlank() || pkg.length() > EXTERNAL_ID_MAX
                    || pkg.codePoints().anyMatch(c -> Character.isISOControl(c) || AccountRules.isInvisible(c))) {
                throw ProblemException.invalidField(FIELD, "Field 'packages' must list package external ids (1 to "
                        + EXTERNAL_ID_MAX + " characters each, no control or invisible characters).");
            }
            if (!seen.add(pkg)) {
                throw ProblemException.invalidField(FIELD, "Field 'packages' lists '" + pkg + "' twice.");
            }
        }
    }

    /**
     * Refuses (422, naming the package) any package that is not an optional package of this plan, and any package
     * at all when the account has no plan or its plan is archived.
     *
     * @param planId the account's plan after the change (null: none)
     */
    static void requireOptional(JdbcTemplate jdbc, long companyId, Long planId, String tariff, List<String> packages) {
        if (packages == null || packages.isEmpty()) {
            return;
        }
        if (planId == null) {
            throw ProblemException.unprocessable(FIELD, "Package '" + packages.get(0) + "' needs a tariff plan: the"
                    + " account has none.");
        }
        Map<String, Object> plan = jdbc.queryForMap(PLAN, planId);
        if (plan.get("archived_at") != null) {
            throw ProblemException.unprocessable(FIELD, "Package '" + packages.get(0) + "' cannot be subscribed:"
                    + " tariff plan '" + plan.get("external_id") + "' is archived.");
        }
        List<String> optional = optionalPackages(jdbc, planId);
        for (String pkg : packages) {
            if (!optional.contains(pkg)) {
                throw ProblemException.unprocessable(FIELD, "Package '" + pkg + "' is not an optional package of"
                        + " tariff plan '" + (tariff == null ? plan.get("external_id") : tariff) + "' (company "
                        + companyId + "); its optional packages are " + optional + ".");
            }
        }
    }

    static List<String> optionalPackages(JdbcTemplate jdbc, long planId) {
        return jdbc.queryForList(OPTIONAL, String.class, planId);
    }

    /** The subscribed packages a move to this plan loses: those that are not optional packages of the new plan. */
    static List<String> droppedBy(JdbcTemplate jdbc, Long newPlanId, List<String> subscribed) {
        if (subscribed == null || subscribed.isEmpty()) {
            return List.of();
        }
        List<String> kept = newPlanId == null ? List.of() : optionalPackages(jdbc, newPlanId);
        List<String> dropped = new ArrayList<>(subscribed);
        dropped.removeAll(kept);
        return dropped;
    }

    /** The stored form: a sorted JSON array, or NULL for "not managed". */
    static String encode(List<String> packages) {
        if (packages == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new ArrayList<>(new TreeSet<>(packages)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }

    static List<String> decode(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return List.copyOf(JSON.readValue(stored, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("account.packages is not a JSON list of strings", e);
        }
    }
}
