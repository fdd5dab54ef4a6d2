package dev.ministramanager.imports;

import java.util.HashSet;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/** A company's tariff plans by external id, read once per import: the active ones and the archived ones. */
record CompanyPlans(Set<String> active, Set<String> archived) {

    static CompanyPlans of(JdbcTemplate jdbc, long companyId) {
        Set<String> active = new HashSet<>();
        Set<String> archived = new HashSet<>();
        jdbc.query("SELECT external_id, archived_at FROM tariff_plan WHERE company_id = ?", rs -> {
            (rs.getObject(2) == null ? active : archived).add(rs.getString(1));
        }, companyId);
        return new CompanyPlans(active, archived);
    }
}
