package dev.ministramanager.tariffs;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.events.EventOutbox;
import dev.ministramanager.metrics.MetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;

/** The tariff catalogue: its sync ({@code tariffSync}) and read side ({@code tariffPlans}). */
public class TariffsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);

        double maxArchiveShare = Double.parseDouble(property(camel, "mm.tariffs.max-archive-share"));
        if (!(maxArchiveShare >= 0 && maxArchiveShare <= 1)) {
            throw new IllegalArgumentException("mm.tariffs.max-archive-share must be between 0 and 1");
        }
        // the delays between attempts are the redelivery policy of routes/tariffs-sync.camel.yaml
        int listingAttempts = Integer.parseInt(property(camel, "mm.tariffs.sync-attempts"));
        if (listingAttempts < 1) {
            throw new IllegalArgumentException("mm.tariffs.sync-attempts must be at least 1");
        }

        TariffPlans plans = new TariffPlans(dataSource);
        TariffSyncMetrics metrics = new TariffSyncMetrics(
                registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class), dataSource);
        registry.bind("tariffPlans", plans);
        registry.bind("tariffSyncMetrics", metrics);
        registry.bind("tariffSync", new TariffSync(dataSource, new TariffCatalogue(dataSource, maxArchiveShare,
                registry.lookupByNameAndType("eventOutbox", EventOutbox.class)),
                listingAttempts, audit, metrics, plans,
                registry.lookupByNameAndType("activeTariffPlans", ActiveTariffPlans.class)));

        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    metrics.started();
                }
            }
        });
    }

    private static String property(CamelContext camel, String key) {
        return camel.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
