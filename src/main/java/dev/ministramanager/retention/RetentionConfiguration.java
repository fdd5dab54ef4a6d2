package dev.ministramanager.retention;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.ministramanager.metrics.MetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The retention job's settings ({@code mm.retention.*}), bound as {@code retention} for routes/retention.camel.yaml. */
public class RetentionConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Duration runs = days(camel, "mm.retention.runs-days");
        List<Retention.Kind> kinds = List.of(
                new Retention.Kind("idempotency-keys",
                        Duration.ofHours(number(camel, "mm.api.idempotency-retention-hours"))),
                new Retention.Kind("audit-events", days(camel, "mm.retention.audit-days")),
                new Retention.Kind("tariff-sync-runs", runs),
                new Retention.Kind("status-refresh-runs", runs),
                new Retention.Kind("reconciliation-findings", runs),
                new Retention.Kind("reconciliation-runs", runs),
                new Retention.Kind("online-transitions", days(camel, "mm.retention.online-transitions-days")),
                new Retention.Kind("closed-dead-letters", days(camel, "mm.retention.closed-dead-letters-days")),
                // kept longer while a webhook still has to deliver one or an operator to decide on its dead letter;
                // their delivered deliveries and attempts go with them
                new Retention.Kind("events", Duration.ofHours(number(camel, "mm.events.retention-hours"))));
        camel.getRegistry().bind("retention", new Retention(
                camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class), Clock.systemUTC(),
                (int) number(camel, "mm.retention.batch-size"), kinds,
                camel.getRegistry().lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class)));
    }

    private static Duration days(CamelContext camel, String key) {
        return Duration.ofDays(number(camel, key));
    }

    private static long number(CamelContext camel, String key) {
        return Long.parseLong(camel.resolvePropertyPlaceholders("{{" + key + "}}").trim());
    }
}
