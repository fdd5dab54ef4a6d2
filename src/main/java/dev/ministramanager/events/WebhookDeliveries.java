package dev.ministramanager.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.http.AnswerStreams;
import dev.ministramanager.http.AnswerText;
import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One attempt of a webhook delivery (routes/webhooks-delivery.camel.yaml): the signed POST of a claimed delivery
 * ({@link DeliveryClaims}) or of a ping, and its answer recorded with the attempt: 2xx delivered (in batches, by
 * {@link DeliveredBatches}); connection errors, timeouts, 408, 429 and 5xx retried with backoff and jitter
 * (Retry-After honoured, up to the longest delay) until the attempts run out (a dead letter); any other answer (3xx:
 * redirects are not followed; 4xx) is a dead letter at once; 410 Gone disables the endpoint, and so does failing
 * without a success for {@code disableAfter}.
 */
public class WebhookDeliveries {

    public static final String DELIVERY = "webhookDelivery";
    public static final String ENDPOINT = "webhookEndpoint";
    public static final String STARTED_NANOS = "webhookStartedNanos";
    static final String ACTOR = "webhook-delivery";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
    private static final int EXCERPT = 1000;
    private static final String PING_TARGET = SqlStatements.load("webhooks-ping-target");
    private static final String SETTLE = SqlStatements.load("webhooks-delivery-settle");
    private static final String INSERT_ATTEMPT = SqlStatements.load("webhooks-attempt-insert");
    private static final String FAILING_START = SqlStatements.load("webhooks-failing-start");
    private static final String FAILING_SINCE = SqlStatements.load("webhooks-failing-since");
    private static final String DISABLE = SqlStatements.load("webhooks-disable");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DeliveryClaims claims;
    private final WebhookMessages messages;
    private final AuditTrail audit;
    private final Clock clock;
    private final WebhookSettings settings;
    private final MeterRegistry metrics;
    /** The camel-http endpoint URI of each webhook URL's origin, with the delivery's options. */
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();

    WebhookDeliveries(DataSource dataSource, DeliveryClaims claims, WebhookMessages messages, AuditTrail audit,
                      Clock clock, WebhookSettings settings, MeterRegistry metrics) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.claims = claims;
        this.messages = messages;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        // every outcome's series at zero from the start, as README's metrics promise
        for (String outcome : new String[] {"delivered", "retrying", "dead", "disabled", "lost", "failed"}) {
            Counter.builder("mm.webhooks.deliveries").description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome).register(metrics);
        }
    }

    /** A ping for {@code POST /webhooks/{id}/test}: sent now, recorded as an attempt, never retried. */
    public Delivery ping(long webhookId) {
        OffsetDateTime now = now();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        return jdbc.queryForObject(PING_TARGET, (rs, i) -> new Delivery(null, webhookId, rs.getLong("company_id"),
                rs.getString("url"), messages.secret(rs.getString("secret_enc")),
                messages.previousSecret(rs.getString("previous_secret_enc"),
                        rs.getObject("previous_secret_until", OffsetDateTime.class), now),
                eventId, EventTypes.PING, messages.payload(eventId, EventTypes.PING, rs.getLong("company_id"),
                        String.valueOf(webhookId), now, "{}"), 0, null, false), webhookId);
    }

    /** Sets up the POST: Standard Webhooks headers, and nothing else of the exchange goes out. */
    public void prepare(Exchange exchange) {
        Delivery delivery = exchange.getMessage().getBody(Delivery.class);
        if (!delivery.isPing()) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    claims.finished(delivery);
                }
            });
        }
        exchange.setVariable(DELIVERY, delivery);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        if (endpoints.size() > 10_000) {
            endpoints.clear();
        }
        exchange.setVariable(ENDPOINT, endpoints.computeIfAbsent(delivery.url(), this::endpoint));
        long timestamp = clock.instant().getEpochSecond();
        String signature = WebhookSignature.sign(delivery.secret(), delivery.eventId(), timestamp,
                delivery.payload());
        if (delivery.previousSecret() != null) {
            signature += " " + WebhookSignature.sign(delivery.previousSecret(), delivery.eventId(), timestamp,
                    delivery.payload());
        }
        message.setHeader(Exchange.HTTP_URI, delivery.url());
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("User-Agent", "ministra-manager-webhooks");
        message.setHeader("webhook-id", delivery.eventId());
        message.setHeader("webhook-timestamp", String.valueOf(timestamp));
        message.setHeader("webhook-signature", signature);
        message.setBody(delivery.payload());
        // the answer as sent: Camel would otherwise decompress a gzip one itself, into a stream that can only be
        // drained, not dropped (answers are never asked for compressed: camel.component.http*.content-compression-
        // disabled)
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, true);
        exchange.setVariable(STARTED_NANOS, System.nanoTime());
    }

    /** The origin of {@code url} (the path goes in Exchange.HTTP_URI) with the delivery's camel-http options. */
    private String endpoint(String url) {
        URI uri = URI.create(url);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority()
                // the answer needs only the response's headers: the request's are not copied onto it
                + "?throwExceptionOnFailure=false&followRedirects=false&copyHeaders=false"
                // the answer as the connection's stream: only its excerpt is read (answered), never the whole body
                + "&disableStreamCache=true"
                + "&connectTimeout=" + settings.connectTimeout().toMillis()
                + "&responseTimeout=" + settings.timeout().toMillis()
                + "&soTimeout=" + settings.timeout().toMillis()
                + "&connectionsPerRoute=" + settings.perEndpoint();
    }

    /** The endpoint answered (any status). */
    public Map<String, Object> answered(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Object answer = message.getBody();
        // no body (a 204): getBody(String.class) would then try to convert the message itself, through every
        // fallback converter, on each answer; one in memory (bytes, text) goes through Camel's type converter.
        // The excerpt is kept as text both databases store (a binary answer has NULs): stored as it came, it failed
        // the insert of its attempt, and with it the batch of successes recorded beside it
        String body = AnswerText.storable(answer instanceof InputStream stream ? excerpt(stream)
                : answer == null ? null : truncate(message.getBody(String.class), EXCERPT));
        String retryAfter = message.getHeader("Retry-After", String.class);
        message.removeHeaders("*");
        return record(exchange, status, null, body, retryAfter);
    }

    /**
     * The first {@value #EXCERPT} characters of the receiver's answer, read from the connection's stream within the
     * delivery's timeout: a receiver answering gigabytes, or without end, costs a few kilobytes and the timeout. The
     * rest is not read: the connection is then dropped, not drained for reuse.
     */
    private String excerpt(InputStream stream) {
        AnswerStreams.BoundedRead read = AnswerStreams.read(stream, EXCERPT * 4,
                System.nanoTime() + settings.timeout().toNanos());
        if (read.failure() != null) {
            LOG.debug("A webhook answer's body could not be read: {}", read.failure().toString());
        }
        return read.bytes().length == 0 && read.ended() ? null
                : truncate(new String(read.bytes(), StandardCharsets.UTF_8), EXCERPT);
    }

    /** No answer: connection refused or reset, timeout, TLS failure. */
    public Map<String, Object> callFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().removeHeaders("*");
        String error = cause == null ? "no answer" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return record(exchange, null, error, null, null);
    }

    private Map<String, Object> record(Exchange exchange, Integer status, String error, String body,
                                       String retryAfter) {
        Delivery delivery = exchange.getVariable(DELIVERY, Delivery.class);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                - exchange.getVariable(STARTED_NANOS, Long.class));
        boolean success = status != null && status >= 200 && status < 300;
        boolean retryable = status == null || status == 408 || status == 429 || status >= 500;
        boolean gone = status != null && status == 410;
        OffsetDateTime now = now();
        if (success && !delivery.isPing()) {
            // recorded with others in a batch (DeliveredBatches), off this worker
            exchange.setVariable(DeliveredBatches.DELIVERED, new DeliveredBatches.Delivered(delivery, status,
                    latencyMs, truncate(body, EXCERPT), now));
            return answer(delivery, "delivered", status, latencyMs, null, body);
        }
        String outcome = transaction.execute(tx -> {
            String result;
            if (delivery.isPing()) {
                result = success ? "delivered" : "failed";
            } else if (gone) {
                // the receiver says it is gone: stop sending; the delivery waits for the endpoint to be re-enabled
                result = settle(delivery, "pending", status, error, now, now) ? "disabled" : "lost";
            } else if (retryable && delivery.attempts() + 1 < settings.maxAttempts()) {
                result = settle(delivery, "pending", status, error, now, now.plus(retryDelay(delivery, retryAfter)))
                        ? "retrying" : "lost";
            } else {
                result = settle(delivery, "dead", status, error, now, null) ? "dead" : "lost";
            }
            if (!delivery.isPing()) {
                endpointHealth(delivery, gone, status, error, now);
            }
            jdbc.update(INSERT_ATTEMPT, delivery.webhookId(), delivery.deliveryId(), delivery.eventId(),
                    delivery.type(), now, result, status, latencyMs, truncate(error, 2000), truncate(body, EXCERPT));
            return result;
        });
        Counter.builder("mm.webhooks.deliveries").description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(metrics).increment();
        if (!success) {
            LOG.warn("Webhook {} {}: {} ({} ms)", delivery.webhookId(), outcome,
                    status == null ? error : "HTTP " + status, latencyMs);
        }
        return answer(delivery, outcome, status, latencyMs, error, body);
    }

    private static Map<String, Object> answer(Delivery delivery, String outcome, Integer status, long latencyMs,
                                              String error, String body) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("webhookId", delivery.webhookId());
        answer.put("eventId", delivery.eventId());
        answer.put("outcome", outcome);
        answer.put("statusCode", status);
        answer.put("latencyMs", latencyMs);
        answer.put("error", error);
        answer.put("response", truncate(body, EXCERPT));
        return answer;
    }

    /** Ends the claim; false when the claim is no longer ours (its lease ran out and another node took it). */
    private boolean settle(Delivery delivery, String state, Integer status, String error, OffsetDateTime now,
                           OffsetDateTime nextAttempt) {
        return jdbc.update(SETTLE, state, status, truncate(error, 2000), nextAttempt,
                state.equals("pending") ? null : now, delivery.deliveryId(),
                delivery.claimToken()) == 1;
    }

    /** A failure starts or extends the endpoint's failure streak; 410, or one longer than allowed, disables it. */
    private void endpointHealth(Delivery delivery, boolean gone, Integer status, String error, OffsetDateTime now) {
        jdbc.update(FAILING_START, now, delivery.webhookId());
        OffsetDateTime failingSince = jdbc.queryForObject(FAILING_SINCE, OffsetDateTime.class, delivery.webhookId());
        String reason = gone ? "The endpoint answered 410 Gone."
                : failingSince != null && !failingSince.plus(settings.disableAfter()).isAfter(now)
                ? "No successful delivery since " + failingSince.toInstant() + " (mm.webhooks.disable-after); last: "
                        + (status == null ? error : "HTTP " + status) : null;
        if (reason != null && jdbc.update(DISABLE, truncate(reason, 500), now, delivery.webhookId()) == 1) {
            claims.withdraw(delivery.webhookId());
            // the audit entry publishes webhook.disabled to the company's other endpoints and the stream
            audit.record(ACTOR, delivery.companyId(), Webhooks.SUBJECT, String.valueOf(delivery.webhookId()),
                    "disable", "ok", Map.of("reason", truncate(reason, 500), "url", delivery.url()));
            LOG.warn("Webhook {} disabled: {}", delivery.webhookId(), reason);
        }
    }

    private Duration retryDelay(Delivery delivery, String retryAfter) {
        Duration computed = settings.retryDelay(delivery.attempts() + 1, ThreadLocalRandom.current().nextDouble());
        Duration asked = retryAfter(retryAfter);
        if (asked == null) {
            return computed;
        }
        return asked.compareTo(settings.retryMaxDelay()) > 0 ? settings.retryMaxDelay() : asked;
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
