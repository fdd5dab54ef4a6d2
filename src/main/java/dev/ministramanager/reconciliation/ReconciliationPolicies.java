package dev.ministramanager.reconciliation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import org.springframework.jdbc.core.JdbcTemplate;

/** Each company's reconciliation policy: report (the default), enforce or adopt. Changed by admins, audited. */
public class ReconciliationPolicies {

    static final String DEFAULT = "report";

    private final JdbcTemplate jdbc;
    private final Companies companies;
    private final AuditTrail audit;

    public ReconciliationPolicies(DataSource dataSource, Companies companies, AuditTrail audit) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.companies = companies;
        this.audit = audit;
    }

    public String policyOf(long companyId) {
        List<String> policy = jdbc.queryForList("SELECT policy FROM reconciliation_policy WHERE company_id = ?",
                String.class, companyId);
        return policy.isEmpty() ? DEFAULT : policy.get(0);
    }

    public Map<String, Object> view(long companyId) {
        companies.get(companyId);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("companyId", companyId);
        view.put("policy", policyOf(companyId));
        return view;
    }

    public Map<String, Object> change(long companyId, PolicyChange change, String actor) {
        companies.get(companyId);
        String before = policyOf(companyId);
        jdbc.update("MERGE INTO reconciliation_policy t USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(16)),"
                + " CAST(? AS VARCHAR(100)))) AS s(company_id, policy, changed_by) ON t.company_id = s.company_id"
                + " WHEN MATCHED THEN UPDATE SET policy = s.policy, changed_by = s.changed_by,"
                + " changed_at = CURRENT_TIMESTAMP"
                + " WHEN NOT MATCHED THEN INSERT (company_id, policy, changed_by) VALUES (s.company_id, s.policy,"
                + " s.changed_by)", companyId, change.policy(), actor);
        audit.record(actor, companyId, "company", String.valueOf(companyId), "reconciliation-policy", "ok",
                Map.of("before", before, "after", change.policy()));
        return view(companyId);
    }
}
