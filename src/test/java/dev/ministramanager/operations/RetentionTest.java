package dev.ministramanager.operations;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retention job on both databases: every kind of record older than its retention is removed, batch by batch
 * (three old rows with a batch size of two), recent ones and open work (open dead letters, running runs, an event
 * a webhook dead letter still holds) are kept, and what was removed is counted in the metrics.
 */
class RetentionTest {

    private static final OffsetDateTime OLD = OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Pattern DELETED = Pattern.compile(
            "(?m)^mm_retention_deleted_rows_total\\{kind=\"([a-z-]+)\"[^}]*} ([0-9.E]+)$");

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void oldRecordsArePurgedInSmallBatchesAndRecentOnesKept(String kind) throws Exception {
        try (TestDatabase database = kind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.retention.cron", "0/1 * * * * ?", "mm.retention.batch-size", "2",
                     "mm.status.refresh-enabled", "false"))) {
            ApiAnswer created = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                    {"name":"Retained ISP","ministraBaseUrl":"http://127.0.0.1:9/","ministraUser":"u",
                     "ministraPassword":"p"}""");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long company = created.json().get("id").asLong();
            OffsetDateTime recent = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
            try (Connection db = database.connect()) {
                // one transaction: the job (firing every second) sees all of it or nothing
                db.setAutoCommit(false);
                long account = insertAccount(db, company);
                for (OffsetDateTime when : new OffsetDateTime[] {OLD, OLD, OLD, recent}) {
                    seed(db, company, account, when);
                }
                // open work is never purged, however old
                update(db, "INSERT INTO dead_letter (company_id, login, operation, cause, detail, attempts, dead_at,"
                        + " status) VALUES (?, 'still-open', 'create', 'rejected', 'x', 1, ?, 'open')", company, OLD);
                update(db, "INSERT INTO reconciliation_run (company_id, policy, full_listing, actor, status,"
                        + " started_at) VALUES (?, 'report', FALSE, 'test', 'running', ?)", company, OLD);
                // an old event that is a webhook dead letter, waiting for an operator's decision
                update(db, "INSERT INTO event_outbox (event_id, type, company_id, subject, occurred_at, data)"
                        + " VALUES ('evt_awaiting_decision', 'account.updated', ?, 'kept', ?, '{}')", company, OLD);
                update(db, "INSERT INTO webhook (company_id, url, event_types, enabled, secret_enc, created_at,"
                        + " updated_at) VALUES (?, 'http://127.0.0.1:9/hook', '*', FALSE, 'x', ?, ?)", company, OLD,
                        OLD);
                update(db, "INSERT INTO webhook_delivery (webhook_id, event_seq, ordering_key, state, next_attempt_at,"
                        + " created_at) SELECT MAX(w.id), MAX(e.seq), 'account.kept', 'dead', ?, ? FROM webhook w,"
                        + " event_outbox e WHERE e.event_id = 'evt_awaiting_decision'", OLD, OLD);
                db.commit();
            }

            Map<String, String> old = new LinkedHashMap<>();
            old.put("idempotency_key", "created_at < ?");
            old.put("audit_event", "occurred_at < ?");
            old.put("tariff_sync_run", "finished_at < ?");
            old.put("status_refresh_run", "finished_at < ?");
            old.put("reconciliation_finding", "run_id IN (SELECT id FROM reconciliation_run WHERE finished_at < ?)");
            old.put("reconciliation_run", "finished_at < ?");
            old.put("account_online_transition", "observed_at < ?");
            old.put("dead_letter", "resolved_at < ?");
            old.put("event_outbox", "occurred_at < ? AND event_id <> 'evt_awaiting_decision'");
            OffsetDateTime cutoff = OLD.plusDays(1);
            eventually("the retention job to delete the old rows", () -> !oldRowsLeft(database, old, cutoff));
            for (String table : old.keySet()) {
                assertThat(count(database, table, old.get(table), cutoff)).as("old rows left in " + table).isZero();
                assertThat(count(database, table, "1 = 1", null)).as("recent rows kept in " + table)
                        .isGreaterThanOrEqualTo(1);
            }
            assertThat(count(database, "dead_letter", "status = 'open'", null)).isEqualTo(1);
            assertThat(count(database, "reconciliation_run", "status = 'running'", null)).isEqualTo(1);
            assertThat(count(database, "event_outbox", "event_id = 'evt_awaiting_decision'", null)).isEqualTo(1);

            ApiAnswer metrics = service.send(service.request(service.management("/observe/metrics"), null).GET());
            Map<String, Double> deleted = new LinkedHashMap<>();
            Matcher matcher = DELETED.matcher(metrics.body());
            while (matcher.find()) {
                deleted.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
            assertThat(deleted).as(metrics.body().lines().filter(line -> line.contains("retention")).toList()
                    .toString()).containsOnlyKeys("idempotency-keys", "audit-events", "tariff-sync-runs",
                    "status-refresh-runs", "reconciliation-findings", "reconciliation-runs", "online-transitions",
                    "closed-dead-letters", "events");
            assertThat(deleted.values()).allSatisfy(removed -> assertThat(removed).isEqualTo(3.0));
        }
    }

    private static long insertAccount(Connection db, long company) throws SQLException {
        update(db, "INSERT INTO account (company_id, login, login_key, account_number, account_number_key, status)"
                + " VALUES (?, 'kept', 'kept', '1', '1', 'active')",
                company);
        try (PreparedStatement statement = db.prepareStatement("SELECT id FROM account WHERE login = 'kept'");
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One record of every kind the retention job purges, all at this time. */
    private static void seed(Connection db, long company, long account, OffsetDateTime when) throws SQLException {
        update(db, "INSERT INTO idempotency_key (user_id, idem_key, fingerprint, status_code, created_at)"
                + " VALUES (1, ?, 'f', 201, ?)", "key-" + System.nanoTime(), when);
        update(db, "INSERT INTO audit_event (occurred_at, actor, company_id, subject, subject_id, action, outcome)"
                + " VALUES (?, 'test', ?, 'account', 'kept', 'change', 'ok')", when, company);
        update(db, "INSERT INTO tariff_sync_run (company_id, run_trigger, actor, started_at, finished_at, outcome)"
                + " VALUES (?, 'user', 'test', ?, ?, 'succeeded')", company, when, when);
        update(db, "INSERT INTO status_refresh_run (company_id, trigger_kind, actor, started_at, finished_at,"
                + " outcome) VALUES (?, 'schedule', 'test', ?, ?, 'ok')", company, when, when);
        update(db, "INSERT INTO reconciliation_run (company_id, policy, full_listing, actor, status, started_at,"
                + " finished_at) VALUES (?, 'report', FALSE, 'test', 'completed', ?, ?)", company, when, when);
        update(db, "INSERT INTO reconciliation_finding (run_id, company_id, kind, login, resolution)"
                + " SELECT MAX(id), ?, 'missing_in_ministra', 'kept', 'reported' FROM reconciliation_run", company);
        update(db, "INSERT INTO account_online_transition (account_id, company_id, observed_at, from_state,"
                + " to_state, source) VALUES (?, ?, ?, 'offline', 'online', 'refresh')", account, company, when);
        update(db, "INSERT INTO dead_letter (company_id, login, operation, cause, detail, attempts, dead_at, status,"
                + " resolved_at, resolved_by) VALUES (?, 'kept', 'create', 'rejected', 'x', 1, ?, 'replayed', ?,"
                + " 'test')", company, when, when);
        update(db, "INSERT INTO event_outbox (event_id, type, company_id, subject, occurred_at, data)"
                + " VALUES (?, 'account.updated', ?, 'kept', ?, '{}')", "evt_" + System.nanoTime(), company, when);
    }

    private static void update(Connection db, String sql, Object... arguments) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            statement.executeUpdate();
        }
    }

    private static boolean oldRowsLeft(TestDatabase database, Map<String, String> old, OffsetDateTime cutoff)
            throws SQLException {
        for (Map.Entry<String, String> table : old.entrySet()) {
            if (count(database, table.getKey(), table.getValue(), cutoff) > 0) {
                return true;
            }
        }
        return false;
    }

    private static long count(TestDatabase database, String table, String where, OffsetDateTime argument)
            throws SQLException {
        try (Connection db = database.connect();
             PreparedStatement statement = db.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            if (argument != null) {
                statement.setObject(1, argument);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
