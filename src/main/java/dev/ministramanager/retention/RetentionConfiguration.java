package dev.ministramanager.retention;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.ministramanager.metrics.MetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * The retention job's settings ({@code mm.retention.*}), bound as {@code retention} for routes/retention.camel.yaml
 * (lazily: built at its first lookup).
 */
public class RetentionConfiguration implements CamelConfiguration {

    @PropertyInject("mm.retention.runs-days")
    private long runsDays;
    @PropertyInject("mm.api.idempotency-retention-hours")
    private long idempotencyKeysHours;
    @PropertyInject("mm.retention.audit-days")
    private long auditDays;
    @PropertyInject("mm.retention.online-transitions-days")
    private long onlineTransitionsDays;
    @PropertyInject("mm.retention.closed-dead-letters-days")
    private long closedDeadLettersDays;
    @PropertyInject("mm.events.retention-hours")
    private long eventsHours;
    @PropertyInject("mm.retention.batch-size")
    private int batchSize;

    @BindToRegistry(value = "retention", lazy = true)
    public Retention retention(@BeanInject("dataSource") DataSource dataSource,
                               @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry meters) {
        Duration runs = Duration.ofDays(runsDays);
        List<Retention.Kind> kinds = List.of(
                new Retention.Kind("idempotency-keys", Duration.ofHours(idempotencyKeysHours)),
                new Retention.Kind("audit-events", Duration.ofDays(auditDays)),
                new Retention.Kind("tariff-sync-runs", runs),
                new Retention.Kind("status-refresh-runs", runs),
                new Retention.Kind("reconciliation-findings", runs),
                new Retention.Kind("reconciliation-runs", runs),
                new Retention.Kind("online-transitions", Duration.ofDays(onlineTransitionsDays)),
                new Retention.Kind("closed-dead-letters", Duration.ofDays(closedDeadLettersDays)),
                // kept longer while a webhook still has to deliver one or an operator to decide on its dead letter;
                // their delivered deliveries and attempts go with them
                new Retention.Kind("events", Duration.ofHours(eventsHours)));
        return new Retention(dataSource, Clock.systemUTC(), batchSize, kinds, meters);
    }
}
