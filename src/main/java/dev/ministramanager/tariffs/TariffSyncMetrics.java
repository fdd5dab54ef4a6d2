package dev.ministramanager.tariffs;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.ministramanager.metrics.CompanyMeters;
import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prometheus metrics of the tariff sync, on the management port's {@code /observe/metrics}:
 * {@code mm_tariffs_sync_runs_total{company,trigger,outcome}} and
 * {@code mm_tariffs_sync_last_success_seconds{company}} (Unix time of the company's last successful sync, as this
 * node knows it: loaded from the sync history at start-up, then advanced by the runs this node completes; with
 * several nodes, take the maximum over them; 0 while the company never had one). Every series is present at zero
 * from start-up.
 */
class TariffSyncMetrics implements CompanyMeters {

    private static final String LAST_SUCCESS = SqlStatements.load("tariffs-sync-last-success");

    private static final List<String> TRIGGERS = List.of(TariffSync.SCHEDULE, TariffSync.USER);
    private static final List<SyncRun.Outcome> FINISHED = List.of(SyncRun.Outcome.SUCCEEDED, SyncRun.Outcome.FAILED,
            SyncRun.Outcome.HELD);

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Map<Long, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    TariffSyncMetrics(MeterRegistry registry, DataSource dataSource) {
        this.registry = registry;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Once the context has started (the database is migrated by then): the gauges from the history. */
    void started() {
        jdbc.query(LAST_SUCCESS, rs -> {
                    advance(rs.getLong(1), rs.getTimestamp(2));
                });
    }

    @Override
    public void registerCompany(long companyId) {
        lastSuccess(companyId);
    }

    void recorded(SyncRun run) {
        runs(run.companyId(), run.trigger(), run.outcome()).increment();
        if (run.outcome() == SyncRun.Outcome.SUCCEEDED) {
            advance(run.companyId(), new Timestamp(System.currentTimeMillis()));
        }
    }

    private Counter runs(long companyId, String trigger, SyncRun.Outcome outcome) {
        return Counter.builder("mm.tariffs.sync.runs")
                .description("Tariff sync runs by company, trigger and outcome")
                .tag("company", String.valueOf(companyId))
                .tag("trigger", trigger)
                .tag("outcome", outcome.id())
                .register(registry);
    }

    private void advance(long companyId, Timestamp when) {
        lastSuccess(companyId).accumulateAndGet(when.getTime() / 1000, Math::max);
    }

    /** The company's gauge, registered with every run counter of the company at zero the first time. */
    private AtomicLong lastSuccess(long companyId) {
        return lastSuccess.computeIfAbsent(companyId, id -> {
            TRIGGERS.forEach(trigger -> FINISHED.forEach(outcome -> runs(id, trigger, outcome)));
            AtomicLong value = new AtomicLong();
            Gauge.builder("mm.tariffs.sync.last.success", value, AtomicLong::doubleValue)
                    .description("Unix time of the company's last successful tariff sync (0: none yet)")
                    .baseUnit("seconds")
                    .tag("company", String.valueOf(id))
                    .register(registry);
            return value;
        });
    }
}
