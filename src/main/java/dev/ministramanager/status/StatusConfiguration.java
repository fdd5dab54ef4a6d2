package dev.ministramanager.status;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.scheduling.RefreshLeases;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.util.TimeUtils;

/**
 * Status back from Ministra: pulls, the fleet refresh and its lease, the status queries and metrics, and the batched
 * reads of our and Ministra's accounts they share with reconciliation and imports. Bound lazily: each bean is built
 * at its first lookup, once every configuration has bound its beans.
 */
public class StatusConfiguration implements CamelConfiguration {

    private final Clock clock = Clock.systemUTC();

    @PropertyInject("camel.main.name")
    private String serviceName;
    @PropertyInject("mm.status.page-size")
    private int pageSize;
    @PropertyInject("mm.status.batch-max-url-bytes")
    private int batchMaxUrlBytes;
    @PropertyInject("mm.status.batch-max-accounts")
    private int batchMaxAccounts;
    /** Durations as Camel writes them: {@code 2m}, {@code 90s}, {@code 1h30m}, or plain milliseconds. */
    @PropertyInject("mm.status.refresh-interval")
    private String refreshInterval;
    @PropertyInject("mm.status.refresh-max-duration")
    private String refreshMaxDuration;
    @PropertyInject("mm.status.refresh-max-failed-batches-in-a-row")
    private int refreshMaxFailedBatchesInARow;

    @BindToRegistry(value = "statusMetrics", lazy = true)
    public StatusMetrics statusMetrics(@BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry meters) {
        return new StatusMetrics(meters);
    }

    @BindToRegistry(value = "localAccounts", lazy = true)
    public LocalAccounts localAccounts(@BeanInject("dataSource") DataSource dataSource) {
        return new LocalAccounts(dataSource, pageSize);
    }

    @BindToRegistry(value = "remoteSnapshots", lazy = true)
    public RemoteSnapshots remoteSnapshots(@BeanInject("dataSource") DataSource dataSource,
                                           @BeanInject AuditTrail audit, @BeanInject("json") ObjectMapper json,
                                           @BeanInject StatusMetrics metrics) {
        return new RemoteSnapshots(dataSource, audit, json, metrics);
    }

    @BindToRegistry(value = "batchReads", lazy = true)
    public BatchReads batchReads(CamelContext camel) {
        return new BatchReads(camel.createProducerTemplate(), batchMaxUrlBytes, batchMaxAccounts);
    }

    @BindToRegistry(value = "refreshLeases", lazy = true)
    public RefreshLeases refreshLeases(@BeanInject("dataSource") DataSource dataSource) {
        return new RefreshLeases(dataSource, clock, serviceName + "-" + UUID.randomUUID());
    }

    @BindToRegistry(value = "fleetRefresh", lazy = true)
    public FleetRefresh fleetRefresh(@BeanInject("dataSource") DataSource dataSource, @BeanInject Companies companies,
                                     @BeanInject LocalAccounts accounts, @BeanInject BatchReads batchReads,
                                     @BeanInject RemoteSnapshots snapshots, @BeanInject RefreshLeases leases,
                                     @BeanInject StatusMetrics metrics, @BeanInject AuditTrail audit) {
        return new FleetRefresh(dataSource, companies, accounts, batchReads, snapshots, leases, metrics, audit, clock,
                new FleetRefresh.Settings(duration(refreshInterval), duration(refreshMaxDuration),
                        refreshMaxFailedBatchesInARow));
    }

    @BindToRegistry(value = "accountPulls", lazy = true)
    public AccountPulls accountPulls(@BeanInject LocalAccounts accounts, @BeanInject RemoteSnapshots snapshots,
                                     @BeanInject AuditTrail audit, @BeanInject ApiResponses responses) {
        return new AccountPulls(accounts, snapshots, audit, clock, responses);
    }

    @BindToRegistry(value = "statusQueries", lazy = true)
    public StatusQueries statusQueries(@BeanInject("dataSource") DataSource dataSource,
                                       @BeanInject RemoteSnapshots snapshots) {
        return new StatusQueries(dataSource, snapshots, clock);
    }

    private static Duration duration(String camelDuration) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(camelDuration.trim()));
    }
}
