package dev.ministramanager.events;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.processor.aggregate.GroupedExchangeAggregationStrategy;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Events out: the outbox (and the audit trail's follower that fills it), webhooks and their delivery, the event
 * feed and its SSE stream, and their metrics. Registered before the configurations whose changes publish events.
 */
public class EventsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        SecretCipher cipher = registry.lookupByNameAndType("secretCipher", SecretCipher.class);
        Clock clock = Clock.systemUTC();

        EventOutbox outbox = new EventOutbox(dataSource, json, clock);
        audit.follow(new AuditedEvents(outbox));
        registry.bind("eventOutbox", outbox);

        WebhookSettings settings = new WebhookSettings(
                integer(camel, "mm.webhooks.workers"),
                integer(camel, "mm.webhooks.per-endpoint-concurrency"),
                integer(camel, "mm.webhooks.batch-size"),
                Duration.ofMillis(integer(camel, "mm.webhooks.connect-timeout-ms")),
                Duration.ofMillis(integer(camel, "mm.webhooks.timeout-ms")),
                Duration.ofSeconds(integer(camel, "mm.webhooks.lease-seconds")),
                integer(camel, "mm.webhooks.max-attempts"),
                Duration.ofMillis(integer(camel, "mm.webhooks.retry-initial-delay-ms")),
                Double.parseDouble(property(camel, "mm.webhooks.retry-multiplier")),
                Duration.ofMillis(integer(camel, "mm.webhooks.retry-max-delay-ms")),
                Double.parseDouble(property(camel, "mm.webhooks.retry-jitter")),
                Duration.ofSeconds(integer(camel, "mm.webhooks.disable-after-seconds")));
        if (settings.timeout().compareTo(settings.lease()) >= 0) {
            throw new IllegalArgumentException("mm.webhooks.lease-seconds must be longer than mm.webhooks.timeout-ms");
        }
        Webhooks webhooks = new Webhooks(dataSource, cipher, audit,
                new WebhookUrls(Boolean.parseBoolean(property(camel, "mm.webhooks.allow-private-urls"))),
                Duration.ofSeconds(integer(camel, "mm.webhooks.secret-overlap-seconds")), clock);
        MeterRegistry metrics = registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class);
        registry.bind("webhooks", webhooks);
        registry.bind("webhookLog", new WebhookLog(dataSource, webhooks, audit, clock));
        WebhookDeliveries deliveries = new WebhookDeliveries(dataSource, cipher, audit, json, clock, settings, metrics);
        registry.bind("webhookDeliveries", deliveries);
        registry.bind("deliveredBatches", new DeliveredBatches(dataSource, metrics,
                registry.lookupByNameAndType("sqlDialect", SqlDialect.class) == SqlDialect.POSTGRESQL,
                deliveries::recorded));
        registry.bind("webhookBatch", new GroupedExchangeAggregationStrategy());
        EventFeed feed = new EventFeed(dataSource, json, clock,
                Duration.ofMillis(integer(camel, "mm.events.visibility-delay-ms")));
        registry.bind("eventFeed", feed);
        gauges(metrics, new JdbcTemplate(dataSource), clock);

        EventStream stream = new EventStream(registry.lookupByNameAndType("apiGate", ApiGate.class), feed,
                registry.lookupByNameAndType("apiResponses", ApiResponses.class), json,
                Duration.ofMillis(integer(camel, "mm.events.stream-poll-interval-ms")),
                Duration.ofSeconds(integer(camel, "mm.events.stream-heartbeat-seconds")));
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    int port = Integer.parseInt(camel.resolvePropertyPlaceholders("{{camel.server.port}}"));
                    stream.install(VertxPlatformHttpRouter.lookup(camel,
                            VertxPlatformHttpRouter.getRouterNameFromPort(port)));
                }
            }
        });
    }

    /** The outbox lag (age of the oldest event an enabled endpoint still waits for) and disabled endpoints. */
    private static void gauges(MeterRegistry metrics, JdbcTemplate jdbc, Clock clock) {
        Gauge.builder("mm.webhooks.outbox.lag.seconds", () -> {
            OffsetDateTime oldest = jdbc.queryForObject("SELECT MIN(e.occurred_at) FROM webhook_delivery d"
                    + " JOIN webhook w ON w.id = d.webhook_id JOIN event_outbox e ON e.seq = d.event_seq"
                    + " WHERE d.state = 'pending' AND w.enabled = TRUE", OffsetDateTime.class);
            return oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now(clock)
                    .withOffsetSameInstant(ZoneOffset.UTC)).toMillis() / 1000.0;
        }).description("Age of the oldest event an enabled webhook has not yet received").register(metrics);
        Gauge.builder("mm.webhooks.disabled.endpoints", () -> jdbc.queryForObject("SELECT COUNT(*) FROM webhook"
                + " WHERE enabled = FALSE AND disabled_at IS NOT NULL", Integer.class))
                .description("Webhooks disabled because they kept failing or answered 410").register(metrics);
    }

    private static int integer(CamelContext camel, String key) {
        return Integer.parseInt(property(camel, key).trim());
    }

    private static String property(CamelContext camel, String key) {
        return camel.resolvePropertyPlaceholders("{{" + key + "}}");
    }
}
