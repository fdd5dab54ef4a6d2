package dev.ministramanager.status;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.fleet.BatchReads.Match;
import dev.ministramanager.fleet.LocalAccount;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.persistence.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The remote snapshot of each account (what Ministra said at the last read, and when) and its online/offline
 * transitions. A transition is recorded when a known state flips (online to offline or back); the first sighting of a
 * box, and "not found", are not transitions. Each transition is audited and counted in the metrics.
 */
public class RemoteSnapshots {

    private static final String EXISTING_ACCOUNTS = SqlStatements.load("status-existing-accounts");
    private static final String TOUCH_SNAPSHOTS = SqlStatements.load("status-snapshots-touch");
    private static final String COMPARED_SNAPSHOTS = SqlStatements.load("status-snapshots-compared");
    private static final String UPSERT_SNAPSHOT = SqlStatements.load("status-snapshot-upsert");
    private static final String INSERT_TRANSITION = SqlStatements.load("status-online-transition-insert");
    private static final String SNAPSHOT_OF_ACCOUNT = SqlStatements.load("status-snapshot-of-account");

    /** The columns of status-snapshots-compared.sql, compared to decide whether a snapshot changed. */
    private static final int COMPARED = 15;
    /** Runs of one store: each further run is caused by a concurrent delete or read of one of its accounts. */
    private static final int WRITE_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSnapshots.class);

    /** What storing one batch changed. */
    public record Stored(int found, int notFound, int transitions) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final StatusMetrics metrics;

    public RemoteSnapshots(DataSource dataSource, AuditTrail audit, ObjectMapper json, StatusMetrics metrics) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.audit = audit;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Stores what one read found, in one transaction: the snapshots (only the read time when nothing else changed),
     * and a transition (audited, counted) for each account whose known online state flipped. Accounts deleted since
     * the read are left out. One deleted (or snapshotted by another read) while the transaction runs fails it on a
     * constraint; it is then run again, and the next run no longer sees that account (or now sees that snapshot).
     */
    public Stored store(List<Match> matches, String source, String actor, Instant readAt) {
        if (matches.isEmpty()) {
            return new Stored(0, 0, 0);
        }
        Timestamp at = Timestamp.from(readAt);
        for (int attempt = 1; ; attempt++) {
            try {
                Written written = transaction.execute(status -> write(matches, source, actor, at));
                // counted once committed, so that a transaction run again does not count its transitions twice
                written.transitions().forEach(transition -> metrics.transition((Long) transition[1],
                        (String) transition[4]));
                return written.stored();
            } catch (DataIntegrityViolationException raced) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw raced;
                }
                LOG.debug("Snapshots raced with a change of their accounts; storing them again: {}", raced.toString());
            }
        }
    }

    private Written write(List<Match> matches, String source, String actor, Timestamp at) {
        Set<Long> existing = new HashSet<>(jdbc.queryForList(withIds(EXISTING_ACCOUNTS,
                matches.stream().map(match -> match.account().id()).toList()), Long.class));
        List<Long> ids = new ArrayList<>(existing);
        Map<Long, Object[]> before = ids.isEmpty() ? Map.of() : previous(ids);
        List<Object[]> changed = new ArrayList<>();
        List<Long> unchanged = new ArrayList<>();
        List<Object[]> transitions = new ArrayList<>();
        List<String> transitionLogins = new ArrayList<>();
        int stored = 0;
        int found = 0;
        for (Match match : matches) {
            if (!existing.contains(match.account().id())) {
                continue;
            }
            stored++;
            RemoteAccount row = match.row();
            Object[] snapshot = snapshotRow(match, row, at, source);
            Object[] previous = before.get(match.account().id());
            if (previous != null && Arrays.equals(previous, 0, COMPARED, snapshot, 2, 2 + COMPARED)) {
                unchanged.add(match.account().id());
            } else {
                changed.add(snapshot);
            }
            if (row == null) {
                continue;
            }
            found++;
            Boolean wasOnline = previous == null ? null : (Boolean) previous[1];
            if (wasOnline != null && row.online() != null && !wasOnline.equals(row.online())) {
                transitions.add(new Object[] {match.account().id(), match.account().companyId(), at,
                    state(wasOnline), state(row.online()), source});
                transitionLogins.add(match.account().login());
            }
        }
        // a snapshot that did not change only gets its read time: one statement for the whole batch
        if (!unchanged.isEmpty()) {
            jdbc.update(withIds(TOUCH_SNAPSHOTS, unchanged), at, source);
        }
        if (!changed.isEmpty()) {
            jdbc.batchUpdate(UPSERT_SNAPSHOT, changed);
        }
        if (!transitions.isEmpty()) {
            jdbc.batchUpdate(INSERT_TRANSITION, transitions);
            for (int i = 0; i < transitions.size(); i++) {
                Object[] transition = transitions.get(i);
                String from = (String) transition[3];
                String to = (String) transition[4];
                audit.record(actor, (Long) transition[1], AuditTrail.ACCOUNT,
                        AuditTrail.accountSubjectId(transitionLogins.get(i)), "online-transition", to,
                        Map.of("from", from, "to", to, "source", source));
            }
        }
        return new Written(new Stored(found, stored - found, transitions.size()), transitions);
    }

    /** What one transaction stored, and its transitions (counted in the metrics once it has committed). */
    private record Written(Stored stored, List<Object[]> transitions) {
    }

    /** The snapshot of one account, with its age; empty map members when it was never read. */
    public Map<String, Object> view(long accountId, Instant now) {
        List<Map<String, Object>> rows = jdbc.query(SNAPSHOT_OF_ACCOUNT, (rs, i) -> snapshotView(rs, now, json),
                accountId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The snapshot in a row of an account read joined with it, with its age; null when it was never read. */
    public Map<String, Object> viewOf(java.sql.ResultSet rs, Instant now) throws java.sql.SQLException {
        return rs.getObject("read_at") == null ? null : snapshotView(rs, now, json);
    }

    /**
     * A snapshot as the API shows it, with its age, from the columns of {@code sql/status-snapshot-of-account.sql}
     * (which {@code sql/accounts-by-login.sql} reads beside the account, in the same round trip).
     */
    public static Map<String, Object> snapshotView(java.sql.ResultSet rs, Instant now, ObjectMapper json)
            throws java.sql.SQLException {
        Map<String, Object> view = new LinkedHashMap<>();
        Instant readAt = rs.getObject("read_at", java.time.OffsetDateTime.class).toInstant();
        boolean found = rs.getBoolean("found");
        view.put("inMinistra", found);
        view.put("online", (Boolean) rs.getObject("online"));
        if (found) {
            view.put("ip", rs.getString("ip"));
            view.put("firmware", rs.getString("firmware"));
            view.put("stbType", rs.getString("stb_type"));
            view.put("stbSerial", rs.getString("stb_sn"));
            view.put("boundMac", emptyToNull(rs.getString("bound_mac")));
            view.put("lastActive", rs.getString("last_active"));
            view.put("ministraStatus", rs.getString("ministra_status"));
            view.put("tariff", rs.getString("tariff_plan"));
            view.put("subscriptions", subscriptionList(rs.getString("subscriptions"), json));
            view.put("sharedRows", rs.getInt("shared_rows"));
        }
        view.put("readAt", readAt.toString());
        view.put("ageSeconds", Math.max(0, java.time.Duration.between(readAt, now).toSeconds()));
        view.put("readBy", rs.getString("read_by"));
        return view;
    }

    /**
     * The stored snapshots of these accounts, as the compared columns of {@link #snapshotRow} (from {@code found}).
     * The ids go into the statement as literals (numbers we read ourselves): with one bind parameter per id,
     * PostgreSQL caches a generic plan made while the table was still small (a sequential scan) and keeps it while
     * the table grows to the whole fleet, which made a 100 000-account refresh take minutes.
     */
    private Map<Long, Object[]> previous(List<Long> ids) {
        Map<Long, Object[]> stored = new HashMap<>(ids.size() * 2);
        jdbc.query(withIds(COMPARED_SNAPSHOTS, ids), rs -> {
                    Object[] values = new Object[COMPARED];
                    for (int i = 0; i < COMPARED; i++) {
                        values[i] = rs.getObject(i + 2);
                    }
                    stored.put(rs.getLong(1), values);
                });
        return stored;
    }

    /** The statement with its {@code :ids} replaced by these ids as number literals (see {@link #previous}). */
    private static String withIds(String statement, List<Long> ids) {
        StringBuilder literals = new StringBuilder(ids.size() * 8);
        for (Long id : ids) {
            literals.append(literals.length() == 0 ? "" : ",").append(id.longValue());
        }
        return statement.replace(":ids", literals);
    }

    private Object[] snapshotRow(Match match, RemoteAccount row, Timestamp at, String source) {
        LocalAccount account = match.account();
        if (row == null) {
            return new Object[] {account.id(), account.companyId(), false, null, null, null, null, null, null, null,
                null, null, null, null, null, null, 0, at, source};
        }
        return new Object[] {account.id(), account.companyId(), true, row.online(), cut(row.ip(), 64),
            cut(row.firmware(), 1000), cut(row.stbType(), 64), cut(row.stbSn(), 64), cut(row.stbMac(), 64),
            cut(row.lastActive(), 19), row.statusName(), cut(row.tariffPlan(), 100), cut(row.login(), 64),
            cut(row.fullName(), 64), cut(row.phone(), 64), cut(subscriptions(row), 4000), match.rows().size(), at,
            source};
    }

    private String subscriptions(RemoteAccount row) {
        try {
            return json.writeValueAsString(row.subscribed());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<?> subscriptionList(String stored, ObjectMapper json) {
        try {
            return stored == null ? List.of() : json.readValue(stored, List.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("account_remote_state.subscriptions is not a JSON list", e);
        }
    }

    static String state(Boolean online) {
        return online ? "online" : "offline";
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
