package dev.ministramanager.status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.PageRequest;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The read side of status: one account's snapshot and age, accounts by last known online state, the summary. */
public class StatusQueries {

    private static final String ACCOUNT = SqlStatements.load("status-account-by-login");
    private static final String ACCOUNTS_PAGE = SqlStatements.load("status-accounts-page");
    private static final String ACCOUNTS_PAGE_BY_ONLINE = SqlStatements.load("status-accounts-page-by-online");

    private final NamedParameterJdbcTemplate named;
    private final RemoteSnapshots snapshots;
    private final Clock clock;

    public StatusQueries(DataSource dataSource, RemoteSnapshots snapshots, Clock clock) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /**
     * {@code GET /status/accounts/{login}}: our account with the remote snapshot and its age (null if never read), in
     * one statement.
     */
    public Map<String, Object> account(Exchange exchange) {
        long companyId = ApiGate.requireCompany(exchange);
        String login = exchange.getMessage().getHeader("login", String.class);
        Instant now = clock.instant();
        return named.getJdbcTemplate().query(ACCOUNT, (rs, i) -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("companyId", rs.getLong("company_id"));
            view.put("login", rs.getString("login"));
            view.put("accountNumber", rs.getString("account_number"));
            view.put("status", rs.getString("status"));
            view.put("stbMac", rs.getString("stb_mac"));
            view.put("ministra", snapshots.viewOf(rs, now));
            return view;
        }, companyId, login.toLowerCase(Locale.ROOT)).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Account '" + login + "' not found."));
    }

    /**
     * {@code GET /status/accounts?online=true|false&company=&after=&limit=}: our accounts by last known online state,
     * in id order, paged by {@code after} (the last id of the previous page).
     */
    public Map<String, Object> accounts(Exchange exchange) {
        Boolean online = flag(exchange.getMessage().getHeader("online", String.class));
        PageRequest paging = PageRequest.of(exchange);
        int limit = paging.limit();
        MapSqlParameterSource parameters = new MapSqlParameterSource("companies", companies(exchange))
                .addValue("after", paging.after()).addValue("online", online).addValue("limit", limit + 1);
        // two statements rather than an optional filter: each keeps its own plan on PostgreSQL
        List<Map<String, Object>> items = named.query(online == null ? ACCOUNTS_PAGE : ACCOUNTS_PAGE_BY_ONLINE,
                parameters, (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", rs.getLong("id"));
                    item.put("companyId", rs.getLong("company_id"));
                    item.put("login", rs.getString("login"));
                    item.put("accountNumber", rs.getString("account_number"));
                    item.put("stbMac", rs.getString("stb_mac"));
                    item.put("online", (Boolean) rs.getObject("online"));
                    item.put("inMinistra", (Boolean) rs.getObject("found"));
                    java.time.OffsetDateTime readAt = rs.getObject("read_at", java.time.OffsetDateTime.class);
                    item.put("readAt", readAt == null ? null : readAt.toInstant().toString());
                    return item;
                });
        Map<String, Object> page = new LinkedHashMap<>();
        boolean more = items.size() > limit;
        List<Map<String, Object>> shown = more ? items.subList(0, limit) : items;
        page.put("items", new ArrayList<>(shown));
        page.put("nextAfter", more ? shown.get(shown.size() - 1).get("id") : null);
        return page;
    }

    /**
     * The company the request names, else every company the caller sees: the scope of {@code GET /status/summary}
     * (routes/status-rest.camel.yaml, sql/status-summary.sql).
     */
    @SuppressWarnings("unchecked")
    public static List<Long> companies(Exchange exchange) {
        Long one = exchange.getVariable(ApiGate.COMPANY_ID, Long.class);
        return one != null ? List.of(one) : exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
    }

    private static Boolean flag(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalidField("online", "online must be true or false.");
        };
    }
}
