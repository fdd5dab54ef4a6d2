package dev.ministramanager.accounts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.status.RemoteSnapshots;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the API reads of accounts: one account, a filtered page of them (with an opaque cursor: the last id of the
 * page), and an account's audit trail.
 */
public class AccountQueries {

    private static final String LIST = SqlStatements.load("accounts-list");
    private static final String ONLINE_STATE = SqlStatements.load("accounts-online-state");
    private static final String HISTORY = SqlStatements.load("accounts-history");
    private static final List<String> SYNC_STATES = List.of("draft", "synced", "pending", "retrying", "dead",
            "discarded");
    private static final int PAGE_DEFAULT = 50;
    private static final int PAGE_MAX = 500;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final StoredAccounts stored;
    private final ObjectMapper json;
    private final Clock clock;
    /** PostgreSQL's statement that plans the list for its parameters (null on H2, which keeps no generic plans). */
    private final String listPlan;

    AccountQueries(DataSource dataSource, SqlDialect dialect, StoredAccounts stored, ObjectMapper json, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.stored = stored;
        this.json = json;
        this.clock = clock;
        this.listPlan = dialect == SqlDialect.POSTGRESQL ? SqlStatements.load("accounts-list-plan", dialect) : null;
    }

    public StoredAccount get(long companyId, String login) {
        return stored.find(companyId, login);
    }

    /**
     * {@code GET /accounts/{login}}, in one statement: the account with its ETag, Ministra's snapshot of it and its
     * age ({@code ministra}, null if never read), and beside its {@code packages} the ones Ministra had subscribed at
     * that read ({@code subscribed}).
     */
    public ApiReply getWithSnapshot(long companyId, String login) {
        return stored.find(companyId, login, (rs, now) -> {
            StoredAccount account = StoredAccount.read(rs, now);
            Map<String, Object> snapshot = rs.getObject("read_at") == null ? null
                    : RemoteSnapshots.snapshotView(rs, now.toInstant(), json);
            Map<String, Object> answer = account.view();
            answer.put("subscribed", snapshot == null ? null : snapshot.get("subscriptions"));
            answer.put("ministra", snapshot);
            return ApiReply.of(200, answer).withEtag(account.etag());
        });
    }

    public Map<String, Object> list(List<Long> companyIds, Long companyId, String status, String tariff, String sync,
                                    String customerRef, String search, String limit, String cursor,
                                    String online) {
        MapSqlParameterSource params = new MapSqlParameterSource("companies",
                companyId == null ? companyIds : List.of(companyId));
        if (status != null) {
            AccountRules.checkStatus(status);
        }
        params.addValue("status", status);
        params.addValue("tariff", tariff);
        if (sync != null && !SYNC_STATES.contains(sync)) {
            throw ProblemException.invalidField("sync", "Parameter 'sync' must be draft, synced, pending,"
                    + " retrying, dead or discarded.");
        }
        params.addValue("sync", sync);
        params.addValue("customerRef", customerRef);
        boolean searching = search != null && !search.isBlank();
        String escaped = searching ? search.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                : null;
        params.addValue("q", searching ? "%" + escaped.toLowerCase(Locale.ROOT) + "%" : null);
        params.addValue("qmac", searching ? "%" + escaped.toUpperCase(Locale.ROOT) + "%" : null);
        if (online != null && !online.equals("true") && !online.equals("false")) {
            throw ProblemException.invalidField("online", "Parameter 'online' must be true or false.");
        }
        params.addValue("online", online == null ? null : Boolean.parseBoolean(online));
        // account ids start at 1: no cursor is "after 0"
        params.addValue("after", cursor == null ? 0L : decodeCursor(cursor));
        int pageSize = pageSize(limit);
        params.addValue("limit", pageSize + 1);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<StoredAccount> page = listPlan == null
                ? named.query(LIST, params, (rs, i) -> StoredAccount.read(rs, now))
                : transaction.execute(tx -> {
                    // a plan for these parameters: PostgreSQL's generic plan of a prepared statement can neither drop
                    // the filters not asked for nor tell a rare search text from a common one, and walks every
                    // account in id order instead of the trigram indexes (V151), 200+ ms instead of 1 at 100,000
                    jdbc.execute(listPlan);
                    return named.query(LIST, params, (rs, i) -> StoredAccount.read(rs, now));
                });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", withOnlineState(page.stream().limit(pageSize).toList()));
        answer.put("nextCursor", page.size() > pageSize ? encodeCursor(page.get(pageSize - 1).id()) : null);
        return answer;
    }

    /** The account's audit trail, oldest first; also after the account was deleted. */
    public List<Map<String, Object>> history(long companyId, String login) {
        List<Map<String, Object>> events = jdbc.query(HISTORY, (rs, i) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("at", rs.getObject("occurred_at", OffsetDateTime.class));
            event.put("actor", rs.getString("actor"));
            event.put("action", rs.getString("action"));
            event.put("outcome", rs.getString("outcome"));
            event.put("details", parse(rs.getString("details")));
            return event;
        }, AccountCommands.SUBJECT, companyId, AccountRules.key(login));
        if (events.isEmpty()) {
            throw StoredAccounts.notFound(login);
        }
        return events;
    }

    /**
     * The page's accounts with {@code online}: the box's state at the last pull or refresh (null: unknown). A second
     * statement, not a join in the list's: with the join PostgreSQL's first page over 100,000 accounts was slower
     * (p99 24 ms against 4 ms in ReadsAndWaitsBenchmark).
     */
    private List<Map<String, Object>> withOnlineState(List<StoredAccount> accounts) {
        Map<Long, Boolean> online = new HashMap<>();
        if (!accounts.isEmpty()) {
            List<Long> ids = accounts.stream().map(StoredAccount::id).toList();
            named.query(ONLINE_STATE, new MapSqlParameterSource("ids", ids), rs -> {
                online.put(rs.getLong(1), (Boolean) rs.getObject(2));
            });
        }
        return accounts.stream().map(account -> {
            Map<String, Object> view = account.view();
            view.put("online", online.get(account.id()));
            return view;
        }).toList();
    }

    private Object parse(String details) {
        try {
            return details == null ? null : json.readTree(details);
        } catch (JsonProcessingException e) {
            return details;
        }
    }

    private static int pageSize(String limit) {
        if (limit == null) {
            return PAGE_DEFAULT;
        }
        try {
            int size = Integer.parseInt(limit.trim());
            if (size >= 1 && size <= PAGE_MAX) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("limit", "Parameter 'limit' must be 1 to " + PAGE_MAX + ".");
    }

    private static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("a")) {
                return Long.parseLong(decoded.substring(1));
            }
        } catch (IllegalArgumentException malformed) {
            // answered below
        }
        throw ProblemException.invalidField("cursor", "Parameter 'cursor' is not a cursor this API returned.");
    }
}
