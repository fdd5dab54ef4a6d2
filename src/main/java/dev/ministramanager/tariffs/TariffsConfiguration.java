package dev.ministramanager.tariffs;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.events.EventOutbox;
import dev.ministramanager.metrics.MetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * The tariff catalogue: its sync ({@code tariffSync}) and read side ({@code tariffPlans}).
 * <p>
 * Start-up order: Camel Main injects every configuration class before it runs the first {@code configure}, and the
 * beans these are built from (data source, audit trail, event outbox, active plans) are bound by earlier
 * configurations' {@code configure}. So these beans are bound lazily: each is built at its first lookup (a route's
 * start, or {@link #configure}), when every configuration has run.
 */
public class TariffsConfiguration implements CamelConfiguration {

    @PropertyInject("mm.tariffs.max-archive-share")
    private double maxArchiveShare;

    /** The delays between attempts are the redelivery policy of routes/tariffs-sync.camel.yaml. */
    @PropertyInject("mm.tariffs.sync-attempts")
    private int listingAttempts;

    @BindToRegistry(value = "tariffPlans", lazy = true)
    public TariffPlans tariffPlans(@BeanInject DataSource dataSource) {
        return new TariffPlans(dataSource);
    }

    @BindToRegistry(value = "tariffSyncMetrics", lazy = true)
    public TariffSyncMetrics tariffSyncMetrics(@BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry meters,
                                               @BeanInject DataSource dataSource) {
        return new TariffSyncMetrics(meters, dataSource);
    }

    @BindToRegistry(value = "tariffSync", lazy = true)
    public TariffSync tariffSync(@BeanInject DataSource dataSource, @BeanInject AuditTrail audit,
                                 @BeanInject EventOutbox outbox, @BeanInject TariffSyncMetrics metrics,
                                 @BeanInject TariffPlans plans, @BeanInject ActiveTariffPlans activePlans) {
        return new TariffSync(dataSource, new TariffCatalogue(dataSource, maxArchiveShare, outbox), listingAttempts,
                audit, metrics, plans, activePlans);
    }

    @Override
    public void configure(CamelContext camel) {
        if (!(maxArchiveShare >= 0 && maxArchiveShare <= 1)) {
            throw new IllegalArgumentException("mm.tariffs.max-archive-share must be between 0 and 1");
        }
        if (listingAttempts < 1) {
            throw new IllegalArgumentException("mm.tariffs.sync-attempts must be at least 1");
        }
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                // looked up, not injected: configure is given only the context, and the metrics are built lazily
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    camel.getRegistry().findSingleByType(TariffSyncMetrics.class).started();
                }
            }
        });
    }
}
