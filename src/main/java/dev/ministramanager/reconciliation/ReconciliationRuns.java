package dev.ministramanager.reconciliation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.api.PageRequest;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code GET /reconciliation/runs/{id}}: a run with its findings, paged by {@code after} and {@code limit}. */
public class ReconciliationRuns {

    private static final String FINDINGS_PAGE = SqlStatements.load("reconciliation-run-findings-page");
    private static final String RUN = SqlStatements.load("reconciliation-run");
    private static final String FINDING_COUNTS = SqlStatements.load("reconciliation-run-finding-counts");

    private static final Set<String> KINDS = Set.of("missing_in_ministra", "only_in_ministra", "drift");

    private final JdbcTemplate jdbc;

    public ReconciliationRuns(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The answer to the POST that ran it: 201 with its Location. */
    public Map<String, Object> created(long runId, Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader("Location", "/api/v1/reconciliation/runs/" + runId);
        return view(runId, exchange);
    }

    public Map<String, Object> show(Exchange exchange) {
        return view(Adoptions.pathId(exchange, "runId"), exchange);
    }

    private Map<String, Object> view(long runId, Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Long> visible = exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
        List<Map<String, Object>> runs = jdbc.query(RUN, (rs, i) -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("id", rs.getLong("id"));
            run.put("companyId", rs.getLong("company_id"));
            run.put("policy", rs.getString("policy"));
            run.put("fullListing", rs.getBoolean("full_listing"));
            run.put("status", rs.getString("status"));
            run.put("failure", rs.getString("failure"));
            run.put("actor", rs.getString("actor"));
            run.put("startedAt", rs.getObject("started_at", java.time.OffsetDateTime.class));
            run.put("finishedAt", rs.getObject("finished_at", java.time.OffsetDateTime.class));
            run.put("accounts", rs.getInt("accounts"));
            // drafts are not meant to be in Ministra yet: counted, not compared
            run.put("drafts", rs.getInt("drafts"));
            run.put("remoteRows", rs.getLong("remote_rows"));
            run.put("requests", rs.getInt("requests"));
            return run;
        }, runId);
        if (runs.isEmpty() || !visible.contains((Long) runs.get(0).get("companyId"))) {
            throw ProblemException.notFound("Reconciliation run " + runId + " not found.");
        }
        Map<String, Object> run = runs.get(0);
        Map<String, Object> counts = new LinkedHashMap<>();
        KINDS.stream().sorted().forEach(kind -> counts.put(kind, 0L));
        jdbc.query(FINDING_COUNTS, rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, runId);
        run.put("counts", counts);
        run.put("findings", findings(runId, exchange));
        return run;
    }

    private Map<String, Object> findings(long runId, Exchange exchange) {
        String kind = exchange.getMessage().getHeader("kind", String.class);
        if (kind != null && !KINDS.contains(kind)) {
            throw ProblemException.invalidField("kind", "kind must be one of " + KINDS + ".");
        }
        PageRequest paging = PageRequest.of(exchange);
        int limit = paging.limit();
        List<Map<String, Object>> items = jdbc.query(FINDINGS_PAGE, (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", rs.getLong("id"));
                    item.put("kind", rs.getString("kind"));
                    item.put("accountId", (Long) rs.getObject("account_id", Long.class));
                    item.put("login", rs.getString("login"));
                    item.put("accountNumber", rs.getString("account_number"));
                    item.put("stbMac", rs.getString("stb_mac"));
                    item.put("field", rs.getString("field"));
                    item.put("ours", rs.getString("ours"));
                    item.put("theirs", rs.getString("theirs"));
                    item.put("resolution", rs.getString("resolution"));
                    item.put("resolutionDetail", rs.getString("resolution_detail"));
                    return item;
                }, runId, paging.after(), kind, kind, limit + 1);
        boolean more = items.size() > limit;
        List<Map<String, Object>> shown = more ? items.subList(0, limit) : items;
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", new ArrayList<>(shown));
        page.put("nextAfter", more ? shown.get(shown.size() - 1).get("id") : null);
        return page;
    }
}
