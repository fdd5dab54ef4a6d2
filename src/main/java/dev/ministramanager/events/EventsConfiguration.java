package dev.ministramanager.events;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

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
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
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
    // and others) are bound by the configurations before it, when they run, so its beans are bound lazily, each
    // built at its first lookup from its @BeanInject parameters
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

    private final Clock clock = Clock.systemUTC();

    @BindToRegistry(value = "webhookMessages", lazy = true)
    public WebhookMessages webhookMessages(@BeanInject SecretCipher cipher, @BeanInject("json") ObjectMapper json) {
        return new WebhookMessages(cipher, json);
    }

    @BindToRegistry(value = "deliveryClaims", lazy = true)
    public DeliveryClaims deliveryClaims(@BeanInject("dataSource") DataSource dataSource,
                                         @BeanInject WebhookMessages messages) {
        return new DeliveryClaims(dataSource, messages, clock, settings());
    }

    /** Fills the outbox from the audit trail, and wakes the delivery claims when deliveries are committed. */
    @BindToRegistry(value = "eventOutbox", lazy = true)
    public EventOutbox eventOutbox(@BeanInject("dataSource") DataSource dataSource,
                                   @BeanInject("json") ObjectMapper json, @BeanInject AuditTrail audit,
                                   @BeanInject DeliveryClaims claims, @BeanInject SqlDialect dialect) {
        EventOutbox outbox = new EventOutbox(dataSource, json, clock, dialect);
        outbox.onDeliveriesCommitted(claims::wake);
        audit.follow(new AuditedEvents(outbox));
        return outbox;
    }

    @BindToRegistry(value = "webhooks", lazy = true)
    public Webhooks webhooks(@BeanInject("dataSource") DataSource dataSource, @BeanInject SecretCipher cipher,
                             @BeanInject AuditTrail audit, @BeanInject DeliveryClaims claims) {
        return new Webhooks(dataSource, cipher, audit, new WebhookUrls(allowPrivateUrls),
                Duration.ofSeconds(secretOverlapSeconds), clock, claims);
    }

    @BindToRegistry(value = "webhookLog", lazy = true)
    public WebhookLog webhookLog(@BeanInject("dataSource") DataSource dataSource, @BeanInject Webhooks webhooks,
                                 @BeanInject AuditTrail audit) {
        return new WebhookLog(dataSource, webhooks, audit, clock);
    }

    @BindToRegistry(value = "webhookDeliveries", lazy = true)
    public WebhookDeliveries webhookDeliveries(@BeanInject("dataSource") DataSource dataSource,
                                               @BeanInject DeliveryClaims claims, @BeanInject WebhookMessages messages,
                                               @BeanInject AuditTrail audit,
                                               @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics) {
        return new WebhookDeliveries(dataSource, claims, messages, audit, clock, settings(), metrics);
    }

    @BindToRegistry(value = "deliveredBatches", lazy = true)
    public DeliveredBatches deliveredBatches(@BeanInject("dataSource") DataSource dataSource,
                                             @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics,
                                             @BeanInject SqlDialect dialect, @BeanInject DeliveryClaims claims) {
        return new DeliveredBatches(dataSource, metrics, dialect, claims::wake);
    }

    @BindToRegistry(value = "webhookBatch", lazy = true)
    public GroupedExchangeAggregationStrategy webhookBatch() {
        return new GroupedExchangeAggregationStrategy();
    }

    @BindToRegistry(value = "eventFeed", lazy = true)
    public EventFeed eventFeed(@BeanInject("dataSource") DataSource dataSource, @BeanInject("json") ObjectMapper json) {
        return new EventFeed(dataSource, json, clock, Duration.ofMillis(visibilityDelayMillis));
    }

    @BindToRegistry(value = "eventStream", lazy = true)
    public EventStream eventStream(@BeanInject ApiGate gate, @BeanInject EventFeed feed,
                                   @BeanInject ApiResponses responses, @BeanInject("json") ObjectMapper json) {
        return new EventStream(gate, feed, responses, json, Duration.ofMillis(streamPollIntervalMillis),
                Duration.ofSeconds(streamHeartbeatSeconds));
    }

    @BindToRegistry(value = "webhookGauges", lazy = true)
    public List<Gauge> webhookGauges(@BeanInject("dataSource") DataSource dataSource,
                                     @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics) {
        return gauges(metrics, new JdbcTemplate(dataSource), clock);
    }

    /**
     * The settings are checked at start. Four beans are then looked up by name, as {@code configure} is given only
     * the context, because nothing else would build them in time: the outbox must follow the audit trail before the
     * first change, the gauges exist for their meters only, and the SSE stream is installed on the HTTP router
     * once the context has started. The delivery claims become a service,
     * so that a stopping node releases what it claimed and did not send.
     */
    @Override
    public void configure(CamelContext camel) {
        WebhookSettings settings = settings();
        if (settings.timeout().compareTo(settings.lease()) >= 0) {
            throw new IllegalArgumentException("mm.webhooks.lease-seconds must be longer than mm.webhooks.timeout-ms");
        }
        Registry registry = camel.getRegistry();
        registry.lookupByNameAndType("eventOutbox", EventOutbox.class);
        // the claims release what this node did not send when it stops: a service stopped after the routes and
        // before the data source (services stop in the reverse order of their adding)
        try {
            camel.addService(registry.lookupByNameAndType("deliveryClaims", DeliveryClaims.class), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the webhook claims' release on shutdown", e);
        }
        registry.lookupByNameAndType("webhookGauges", List.class);
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    registry.lookupByNameAndType("eventStream", EventStream.class).install(VertxPlatformHttpRouter
                            .lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port)));
                }
            }
        });
    }

    private WebhookSettings settings() {
        return new WebhookSettings(workers, perEndpoint, batchSize,
                Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(timeoutMillis),
                Duration.ofSeconds(leaseSeconds), maxAttempts, Duration.ofMillis(retryInitialDelayMillis),
                retryMultiplier, Duration.ofMillis(retryMaxDelayMillis), retryJitter,
                Duration.ofSeconds(disableAfterSeconds));
    }

    /** The outbox lag (age of the oldest event an enabled endpoint still waits for) and disabled endpoints. */
    private static List<Gauge> gauges(MeterRegistry metrics, JdbcTemplate jdbc, Clock clock) {
        String oldestWaiting = SqlStatements.load("webhooks-outbox-lag");
        String disabledCount = SqlStatements.load("webhooks-disabled-count");
        Gauge lag = Gauge.builder("mm.webhooks.outbox.lag.seconds", () -> {
            OffsetDateTime oldest = jdbc.queryForObject(oldestWaiting, OffsetDateTime.class);
            return oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now(clock)
                    .withOffsetSameInstant(ZoneOffset.UTC)).toMillis() / 1000.0;
        }).description("Age of the oldest event an enabled webhook has not yet received").register(metrics);
        Gauge disabled = Gauge.builder("mm.webhooks.disabled.endpoints",
                        () -> jdbc.queryForObject(disabledCount, Integer.class))
                .description("Webhooks disabled because they kept failing or answered 410").register(metrics);
        return List.of(lag, disabled);
    }
}
