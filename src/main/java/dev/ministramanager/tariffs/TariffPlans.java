package dev.ministramanager.tariffs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The read side of the tariff catalogue: plans with their packages and accounts, and the sync history. Every query
 * is limited to the companies the caller may see; a plan or run of another company is "not found".
 */
public class TariffPlans {

    private static final String PLANS = SqlStatements.load("tariffs-plans");
    private static final String PLAN_BY_ID = SqlStatements.load("tariffs-plan-by-id");
    private static final String SYNC_RUNS = SqlStatements.load("tariffs-sync-runs");
    private static final String SYNC_RUN_BY_ID = SqlStatements.load("tariffs-sync-run-by-id");
    private static final String PLAN_PACKAGES = SqlStatements.load("tariffs-plan-packages");
    private static final String ACTIVE_ACCOUNTS = SqlStatements.load("tariffs-plan-active-accounts");
    private static final String ACCOUNTS_WITH_PACKAGE = SqlStatements.load("tariffs-plan-accounts-with-package");
    private static final String ACCOUNTS_PAGE = SqlStatements.load("tariffs-plan-accounts-page");
    private static final String ACCOUNTS_COUNT = SqlStatements.load("tariffs-plan-accounts-count");

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private final NamedParameterJdbcTemplate named;

    public TariffPlans(DataSource dataSource) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
    }

    /** {@code GET /tariffs[?company=<id>][&status=active|archived]} */
    public List<Map<String, Object>> list(List<Long> companyIds, Long companyId, String status) {
        MapSqlParameterSource params = scope(companyIds, companyId).addValue("status", status(status));
        return named.query(PLANS, params, (rs, i) -> plan(rs));
    }

    /**
     * {@code GET /tariffs/{id}}: the plan with its packages (each with how many accounts subscribe to it) and how
     * many active accounts are on it.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> get(List<Long> companyIds, String id) {
        Map<String, Object> plan = find(companyIds, id);
        MapSqlParameterSource params = new MapSqlParameterSource("plan", plan.get("id"));
        plan.put("packages", named.query(PLAN_PACKAGES, params, (rs, i) -> {
                    Map<String, Object> pkg = new LinkedHashMap<>();
                    pkg.put("externalId", rs.getString("external_id"));
                    pkg.put("remoteId", rs.getString("remote_id"));
                    pkg.put("name", rs.getString("name"));
                    pkg.put("type", rs.getString("type"));
                    pkg.put("price", rs.getBigDecimal("price"));
                    pkg.put("optional", rs.getBoolean("optional"));
                    return pkg;
                }));
        for (Map<String, Object> pkg : (List<Map<String, Object>>) plan.get("packages")) {
            pkg.put("subscribers", subscribers(plan.get("id"), (Boolean) pkg.get("optional"),
                    (String) pkg.get("externalId")));
        }
        plan.put("activeAccounts", named.queryForObject(ACTIVE_ACCOUNTS, params, Long.class));
        return plan;
    }

    /**
     * The accounts on the plan that subscribe to this optional package: its external id, quoted, in the account's
     * {@code packages} (a JSON array of strings).
     */
    private long subscribers(Object planId, boolean optional, String externalId) {
        if (!optional) {
            return 0;
        }
        String quoted = "%\"" + externalId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                .replace("\"", "\\\\\"") + "\"%";
        return named.queryForObject(ACCOUNTS_WITH_PACKAGE, new MapSqlParameterSource("plan", planId)
                .addValue("quoted", quoted), Long.class);
    }

    /** {@code GET /tariffs/{id}/accounts?limit=&offset=}: the accounts on the plan, by login. */
    public Map<String, Object> accounts(List<Long> companyIds, String id, String limit, String offset) {
        Map<String, Object> plan = find(companyIds, id);
        int pageSize = number("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE);
        int skip = number("offset", offset, 0, 0, Integer.MAX_VALUE);
        MapSqlParameterSource params = new MapSqlParameterSource("plan", plan.get("id"))
                .addValue("limit", pageSize).addValue("offset", skip);
        List<Map<String, Object>> items = named.query(ACCOUNTS_PAGE, params, (rs, i) -> {
                    Map<String, Object> account = new LinkedHashMap<>();
                    account.put("id", rs.getLong("id"));
                    account.put("login", rs.getString("login"));
                    account.put("accountNumber", rs.getString("account_number"));
                    account.put("fullName", rs.getString("full_name"));
                    account.put("status", rs.getString("status"));
                    account.put("stbMac", rs.getString("stb_mac"));
                    account.put("expiresAt", rs.getObject("expires_at", OffsetDateTime.class));
                    return account;
                });
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("tariffId", plan.get("id"));
        page.put("tariffStatus", plan.get("status"));
        page.put("total", named.queryForObject(ACCOUNTS_COUNT, params,
                Long.class));
        page.put("limit", pageSize);
        page.put("offset", skip);
        page.put("items", items);
        return page;
    }

    /** {@code GET /tariffs/sync-runs[?company=<id>][&limit=]}: newest first. */
    public List<Map<String, Object>> syncRuns(List<Long> companyIds, Long companyId, String limit) {
        MapSqlParameterSource params = scope(companyIds, companyId)
                .addValue("limit", number("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE));
        return named.query(SYNC_RUNS, params, (rs, i) -> run(rs));
    }

    Map<String, Object> run(long id) {
        return named.query(SYNC_RUN_BY_ID, new MapSqlParameterSource("id", id), (rs, i) -> run(rs)).get(0);
    }

    private Map<String, Object> find(List<Long> companyIds, String id) {
        long planId;
        try {
            planId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Tariff plan '" + id + "' not found.");
        }
        return named.query(PLAN_BY_ID, new MapSqlParameterSource("id", planId).addValue("ids", companyIds),
                        (rs, i) -> plan(rs)).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Tariff plan " + planId + " not found."));
    }

    private static MapSqlParameterSource scope(List<Long> companyIds, Long companyId) {
        return new MapSqlParameterSource("ids", companyId == null ? companyIds : List.of(companyId));
    }

    /** The status asked for ({@code active}, {@code archived}), or null for both. */
    private static String status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        return switch (status) {
            case "active", "archived" -> status;
            default -> throw ProblemException.invalidField("status", "The status parameter must be active or"
                    + " archived.");
        };
    }

    private static int number(String field, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidField(field, "The " + field + " parameter must be a number from " + min
                + " to " + max + ".");
    }

    private static Map<String, Object> plan(ResultSet rs) throws SQLException {
        Map<String, Object> plan = new LinkedHashMap<>();
        OffsetDateTime archivedAt = rs.getObject("archived_at", OffsetDateTime.class);
        plan.put("id", rs.getLong("id"));
        plan.put("companyId", rs.getLong("company_id"));
        plan.put("externalId", rs.getString("external_id"));
        plan.put("remoteId", rs.getString("remote_id"));
        plan.put("name", rs.getString("name"));
        plan.put("userDefault", rs.getBoolean("user_default"));
        plan.put("daysToExpires", rs.getObject("days_to_expires", Integer.class));
        plan.put("status", archivedAt == null ? "active" : "archived");
        plan.put("archivedAt", archivedAt);
        plan.put("createdAt", rs.getObject("created_at", OffsetDateTime.class));
        plan.put("updatedAt", rs.getObject("updated_at", OffsetDateTime.class));
        return plan;
    }

    private static Map<String, Object> run(ResultSet rs) throws SQLException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", rs.getLong("id"));
        run.put("companyId", rs.getLong("company_id"));
        run.put("trigger", rs.getString("run_trigger"));
        run.put("actor", rs.getString("actor"));
        run.put("scheduledFor", rs.getObject("scheduled_for", OffsetDateTime.class));
        run.put("startedAt", rs.getObject("started_at", OffsetDateTime.class));
        run.put("finishedAt", rs.getObject("finished_at", OffsetDateTime.class));
        run.put("outcome", rs.getString("outcome"));
        run.put("attempts", rs.getInt("attempts"));
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String count : List.of("created", "updated", "archived", "unchanged", "skipped")) {
            counts.put(count, rs.getInt(count));
        }
        run.put("counts", counts);
        String errorKind = rs.getString("error_kind");
        run.put("error", errorKind == null ? null : Map.of("kind", errorKind, "detail",
                String.valueOf(rs.getString("error_detail"))));
        return run;
    }
}
