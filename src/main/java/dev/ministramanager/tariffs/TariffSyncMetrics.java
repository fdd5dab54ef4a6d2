package dev.ministramanager.tariffs;

import java.sql.Timestamp;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prometheus metrics of the tariff sync, on the management port's {@code /observe/metrics}:
 * {@code mm_tariffs_sync_runs_total{company,trigger,outcome}} and
 * {@code mm_tariffs_sync_last_success_seconds{company}} (Unix time of the company's last successful sync, as this
 * node knows it: loaded from the sync history at start-up, then advanced by the runs this node completes; with
 * several nodes, take the maximum over them).
 */
class TariffSyncMetrics {

    private final CamelContext camel;
    private final JdbcTemplate jdbc;
    private final Map<Long, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    TariffSyncMetrics(CamelContext camel, DataSource dataSource) {
        this.camel = camel;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Once the context has started (the Prometheus registry is bound by then): the gauges from the history. */
    void started() {
        registry = camel.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        jdbc.query("SELECT company_id, MAX(finished_at) FROM tariff_sync_run WHERE outcome = 'succeeded'"
                + " GROUP BY company_id", rs -> {
                    advance(rs.getLong(1), rs.getTimestamp(2));
                });
    }

    void recorded(SyncRun run) {
        if (registry == null) {
            return;
        }
        Counter.builder("mm.tariffs.sync.runs")
                .description("Tariff sync runs by company, trigger and outcome")
                .tag("company", String.valueOf(run.companyId()))
                .tag("trigger", run.trigger())
                .tag("outcome", run.outcome().id())
                .register(registry)
                .increment();
        if (run.outcome() == SyncRun.Outcome.SUCCEEDED) {
            advance(run.companyId(), new Timestamp(System.currentTimeMillis()));
        }
    }

    private void advance(long companyId, Timestamp when) {
        AtomicLong gauge = lastSuccess.computeIfAbsent(companyId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("mm.tariffs.sync.last.success", value, AtomicLong::doubleValue)
                    .description("Unix time of the company's last successful tariff sync")
                    .baseUnit("seconds")
                    .tag("company", String.valueOf(id))
                    .register(registry);
            return value;
        });
        gauge.accumulateAndGet(when.getTime() / 1000, Math::max);
    }
}
