package dev.ministramanager.imports;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A company's tariff plans by external id, read once per import: the active ones, the archived ones, and the optional
 * packages of each active plan (what a row may subscribe to on top of it).
 */
record CompanyPlans(Set<String> active, Set<String> archived, Map<String, Set<String>> optionalPackages) {

    private static final String PLANS = SqlStatements.load("imports-company-plans");
    private static final String OPTIONAL_PACKAGES = SqlStatements.load("imports-company-optional-packages");

    static CompanyPlans of(JdbcTemplate jdbc, long companyId) {
        Set<String> active = new HashSet<>();
        Set<String> archived = new HashSet<>();
        jdbc.query(PLANS, rs -> {
            (rs.getObject(2) == null ? active : archived).add(rs.getString(1));
        }, companyId);
        Map<String, Set<String>> optional = new HashMap<>();
        jdbc.query(OPTIONAL_PACKAGES, rs -> {
            optional.computeIfAbsent(rs.getString(1), plan -> new HashSet<>()).add(rs.getString(2));
        }, companyId);
        return new CompanyPlans(active, archived, optional);
    }

    /** The optional packages of an active plan (none for an unknown or archived one). */
    Set<String> optionalPackagesOf(String plan) {
        return optionalPackages.getOrDefault(plan, Set.of());
    }
}
