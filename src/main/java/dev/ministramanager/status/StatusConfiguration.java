package dev.ministramanager.status;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.scheduling.RefreshLeases;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;

/** Status back from Ministra: pulls, the fleet refresh and its lease, the status queries and metrics. */
public class StatusConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        Companies companies = registry.lookupByNameAndType("companies", Companies.class);
        Clock clock = Clock.systemUTC();

        StatusMetrics metrics = new StatusMetrics(
                registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class));
        LocalAccounts accounts = new LocalAccounts(dataSource, integer(camel, "mm.status.page-size"));
        RemoteSnapshots snapshots = new RemoteSnapshots(dataSource, audit, json, metrics);
        BatchReads batchReads = new BatchReads(camel.createProducerTemplate(),
                integer(camel, "mm.status.batch-max-url-bytes"), integer(camel, "mm.status.batch-max-accounts"));
        String node = camel.resolvePropertyPlaceholders("{{camel.main.name}}") + "-" + UUID.randomUUID();
        RefreshLeases leases = new RefreshLeases(dataSource, clock, node);
        FleetRefresh.Settings settings = new FleetRefresh.Settings(
                duration(camel, "mm.status.refresh-interval"), duration(camel, "mm.status.refresh-max-duration"),
                integer(camel, "mm.status.refresh-max-failed-batches-in-a-row"));

        registry.bind("statusMetrics", metrics);
        registry.bind("localAccounts", accounts);
        registry.bind("remoteSnapshots", snapshots);
        registry.bind("batchReads", batchReads);
        registry.bind("refreshLeases", leases);
        registry.bind("fleetRefresh", new FleetRefresh(dataSource, companies, accounts, batchReads, snapshots,
                leases, metrics, audit, clock, settings));
        registry.bind("accountPulls", new AccountPulls(accounts, snapshots, audit, clock,
                registry.lookupByNameAndType("apiResponses", ApiResponses.class)));
        registry.bind("statusQueries", new StatusQueries(dataSource, accounts, snapshots, clock));
    }

    static int integer(CamelContext camel, String key) {
        return Integer.parseInt(camel.resolvePropertyPlaceholders("{{" + key + "}}").trim());
    }

    /** Durations as Camel writes them: {@code 2m}, {@code 90s}, {@code 1h30m}, or plain milliseconds. */
    static Duration duration(CamelContext camel, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(camel.resolvePropertyPlaceholders("{{" + key + "}}")
                .trim()));
    }
}
