package dev.ministramanager.metrics;

import java.util.List;

import javax.sql.DataSource;

import dev.ministramanager.persistence.DatabaseConfiguration;
import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one Micrometer registry of the service: the one camel-micrometer-prometheus creates (before any configuration
 * class runs) and serves on the management port's {@code /observe/metrics}, handed to every class that keeps meters
 * when it is built, so that no meter waits for a later lookup (the tariff sync's counter was missing until then).
 * Once the context has started (the database is migrated by then), every {@link CompanyMeters} registers its series
 * of every existing company at zero, so that each metric README names is scraped from the first moment.
 */
public class MetricsConfiguration implements CamelConfiguration {

    private static final String ALL_COMPANY_IDS = SqlStatements.load("companies-all-ids");

    /** The name camel-micrometer-prometheus looks the registry up by. */
    public static final String REGISTRY = "metricsRegistry";

    @Override
    public void configure(CamelContext camel) {
        // looked up, not injected: this class binds the registry itself when camel-micrometer-prometheus did not
        if (camel.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class) == null) {
            // camel.metrics.enabled=false: the meters still work, nobody scrapes them
            camel.getRegistry().bind(REGISTRY, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                // looked up at start: the pool is bound by DatabaseConfiguration, which runs after this one
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    DataSource dataSource = camel.getRegistry()
                            .lookupByNameAndType(DatabaseConfiguration.DATA_SOURCE, DataSource.class);
                    List<Long> companies = new JdbcTemplate(dataSource).queryForList(ALL_COMPANY_IDS, Long.class);
                    camel.getRegistry().findByType(CompanyMeters.class)
                            .forEach(meters -> companies.forEach(meters::registerCompany));
                }
            }
        });
    }
}
