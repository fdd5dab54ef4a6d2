package dev.ministramanager.reconciliation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/** Each company's reconciliation policy: report (the default), enforce or adopt. Changed by admins, audited. */
public class ReconciliationPolicies {

    private static final String POLICY = SqlStatements.load("reconciliation-policy");
    private static final String SET_POLICY = SqlStatements.load("reconciliation-policy-set");

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
        List<String> policy = jdbc.queryForList(POLICY, String.class, companyId);
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
        jdbc.update(SET_POLICY, companyId, change.policy(), actor);
        audit.record(actor, companyId, "company", String.valueOf(companyId), "reconciliation-policy", "ok",
                Map.of("before", before, "after", change.policy()));
        return view(companyId);
    }
}
