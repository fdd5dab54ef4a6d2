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
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
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

    // Camel injects these before any configuration runs; the beans this one needs (the data source, the audit trail
    // and others) are bound by the configurations before it, when they run, so they are looked up in configure()
    @PropertyInject("mm.webhooks.workers")
    private int workers;
    @PropertyInject("mm.webhooks.per-endpoint-concurrency")
    private int perEndpoint;
    @PropertyInject("mm.webhooks.batch-size")
    private int batchSize;
    @PropertyInject("mm.webhooks.connect-timeout-ms")
    private long connectTimeoutMillis;
    @PropertyInject("mm.webhooks.timeout-ms")
    private long timeoutMillis;
    @PropertyInject("mm.webhooks.lease-seconds")
    private long leaseSeconds;
    @PropertyInject("mm.webhooks.max-attempts")
    private int maxAttempts;
    @PropertyInject("mm.webhooks.retry-initial-delay-ms")
    private long retryInitialDelayMillis;
    @PropertyInject("mm.webhooks.retry-multiplier")
    private double retryMultiplier;
    @PropertyInject("mm.webhooks.retry-max-delay-ms")
    private long retryMaxDelayMillis;
    @PropertyInject("mm.webhooks.retry-jitter")
    private double retryJitter;
    @PropertyInject("mm.webhooks.disable-after-seconds")
    private long disableAfterSeconds;
    @PropertyInject("mm.webhooks.allow-private-urls")
    private boolean allowPrivateUrls;
    @PropertyInject("mm.webhooks.secret-overlap-seconds")
    private long secretOverlapSeconds;
    @PropertyInject("mm.events.visibility-delay-ms")
    private long visibilityDelayMillis;
    @PropertyInject("mm.events.stream-poll-interval-ms")
    private long streamPollIntervalMillis;
    @PropertyInject("mm.events.stream-heartbeat-seconds")
    private long streamHeartbeatSeconds;
    @PropertyInject("camel.server.port")
    private int port;

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        SecretCipher cipher = registry.lookupByNameAndType("secretCipher", SecretCipher.class);
        Clock clock = Clock.systemUTC();

        WebhookSettings settings = new WebhookSettings(workers, perEndpoint, batchSize,
                Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(timeoutMillis),
                Duration.ofSeconds(leaseSeconds), maxAttempts, Duration.ofMillis(retryInitialDelayMillis),
                retryMultiplier, Duration.ofMillis(retryMaxDelayMillis), retryJitter,
                Duration.ofSeconds(disableAfterSeconds));
        if (settings.timeout().compareTo(settings.lease()) >= 0) {
            throw new IllegalArgumentException("mm.webhooks.lease-seconds must be longer than mm.webhooks.timeout-ms");
        }
        WebhookMessages messages = new WebhookMessages(cipher, json);
        DeliveryClaims claims = new DeliveryClaims(dataSource, messages, clock, settings);
        registry.bind("deliveryClaims", claims);
        // stopped after the routes and before the data source (services stop in the reverse order of their adding)
        try {
            camel.addService(claims, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the webhook claims' release on shutdown", e);
        }
        EventOutbox outbox = new EventOutbox(dataSource, json, clock);
        outbox.onDeliveriesCommitted(claims::wake);
        audit.follow(new AuditedEvents(outbox));
        registry.bind("eventOutbox", outbox);
        Webhooks webhooks = new Webhooks(dataSource, cipher, audit,
                new WebhookUrls(allowPrivateUrls), Duration.ofSeconds(secretOverlapSeconds), clock, claims);
        MeterRegistry metrics = registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class);
        registry.bind("webhooks", webhooks);
        registry.bind("webhookLog", new WebhookLog(dataSource, webhooks, audit, clock));
        registry.bind("webhookDeliveries", new WebhookDeliveries(dataSource, claims, messages, audit, clock, settings,
                metrics));
        registry.bind("deliveredBatches", new DeliveredBatches(dataSource, metrics,
                registry.lookupByNameAndType("sqlDialect", SqlDialect.class), claims::wake));
        registry.bind("webhookBatch", new GroupedExchangeAggregationStrategy());
        EventFeed feed = new EventFeed(dataSource, json, clock, Duration.ofMillis(visibilityDelayMillis));
        registry.bind("eventFeed", feed);
        gauges(metrics, new JdbcTemplate(dataSource), clock);

        EventStream stream = new EventStream(registry.lookupByNameAndType("apiGate", ApiGate.class), feed,
                registry.lookupByNameAndType("apiResponses", ApiResponses.class), json,
                Duration.ofMillis(streamPollIntervalMillis), Duration.ofSeconds(streamHeartbeatSeconds));
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    stream.install(VertxPlatformHttpRouter.lookup(camel,
                            VertxPlatformHttpRouter.getRouterNameFromPort(port)));
                }
            }
        });
    }

    /** The outbox lag (age of the oldest event an enabled endpoint still waits for) and disabled endpoints. */
    private static void gauges(MeterRegistry metrics, JdbcTemplate jdbc, Clock clock) {
        String oldestWaiting = SqlStatements.load("webhooks-outbox-lag");
        String disabledCount = SqlStatements.load("webhooks-disabled-count");
        Gauge.builder("mm.webhooks.outbox.lag.seconds", () -> {
            OffsetDateTime oldest = jdbc.queryForObject(oldestWaiting, OffsetDateTime.class);
            return oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now(clock)
                    .withOffsetSameInstant(ZoneOffset.UTC)).toMillis() / 1000.0;
        }).description("Age of the oldest event an enabled webhook has not yet received").register(metrics);
        Gauge.builder("mm.webhooks.disabled.endpoints", () -> jdbc.queryForObject(disabledCount, Integer.class))
                .description("Webhooks disabled because they kept failing or answered 410").register(metrics);
    }
}
