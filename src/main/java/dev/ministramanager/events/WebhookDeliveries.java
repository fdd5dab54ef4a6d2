package dev.ministramanager.events;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery of webhook messages (routes/webhooks-delivery.camel.yaml). Deliveries are claimed with leases, so that
 * one node at a time sends each; only the oldest pending delivery of an endpoint and subject is claimable, so an
 * account's events arrive in order; at most {@code perEndpoint} deliveries of one endpoint are in flight on a node.
 * Each answer is recorded with the attempt: 2xx delivered (in batches, by {@link DeliveredBatches}); connection
 * errors, timeouts, 408, 429 and 5xx retried with backoff and jitter (Retry-After honoured, up to the longest delay)
 * until the attempts run out (a dead letter); any other answer (3xx: redirects are not followed; 4xx) is a dead
 * letter at once; 410 Gone disables the endpoint, and so does failing without a success for {@code disableAfter}.
 * (Over 300 lines: the claim and the rules for each answer are one state machine, clearer read together.)
 */
public class WebhookDeliveries {

    public static final String DELIVERY = "webhookDelivery";
    public static final String ENDPOINT = "webhookEndpoint";
    public static final String STARTED_NANOS = "webhookStartedNanos";
    static final String ACTOR = "webhook-delivery";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
    private static final int EXCERPT = 1000;
    private static final long POLL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long GATHER_MILLIS = 2;

    private static final String CANDIDATES = "SELECT d.id, d.webhook_id FROM webhook_delivery d"
            + " JOIN webhook w ON w.id = d.webhook_id WHERE d.state = 'pending' AND d.next_attempt_at <= ?"
            + " AND (d.lease_until IS NULL OR d.lease_until < ?) AND w.enabled = TRUE"
            + " AND NOT EXISTS (SELECT 1 FROM webhook_delivery e WHERE e.webhook_id = d.webhook_id"
            + " AND e.ordering_key = d.ordering_key AND e.state = 'pending' AND e.id < d.id)"
            + " ORDER BY d.id LIMIT ?";
    private static final String CLAIMED = "SELECT d.id, d.webhook_id, d.attempts, w.company_id, w.url, w.secret_enc,"
            + " w.previous_secret_enc, w.previous_secret_until, w.failing_since, e.event_id, e.type, e.subject, e.occurred_at, e.data"
            + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id JOIN event_outbox e ON e.seq = d.event_seq"
            + " WHERE d.id IN (:ids) AND d.claim_token = :token ORDER BY d.id";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final WebhookSettings settings;
    private final MeterRegistry metrics;
    private final Semaphore slots;
    /** Released whenever a delivery of this node finishes: a claim waiting for an endpoint's slot tries again. */
    private final Semaphore finished = new Semaphore(0);
    /** Deliveries in flight on this node per webhook: the per-endpoint bound. */
    private final Map<Long, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final String node = "node-" + UUID.randomUUID();

    public WebhookDeliveries(DataSource dataSource, SecretCipher cipher, AuditTrail audit, ObjectMapper json,
                             Clock clock, WebhookSettings settings, MeterRegistry metrics) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cipher = cipher;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        // every outcome's series at zero from the start, as README's metrics promise
        for (String outcome : new String[] {"delivered", "retrying", "dead", "disabled", "lost", "failed"}) {
            Counter.builder("mm.webhooks.deliveries").description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome).register(metrics);
        }
        // the workers' queue holds at most one more batch than they can take
        this.slots = new Semaphore(settings.workers() * 2);
    }

    /**
     * Claims due deliveries for the free worker slots. When every due delivery waits for a slot of its endpoint, this
     * waits for a delivery to finish rather than for the next poll, so that an endpoint's slots are refilled at once.
     */
    public List<Delivery> claim() throws InterruptedException {
        long deadline = System.nanoTime() + POLL_WAIT_NANOS;
        while (true) {
            finished.drainPermits();
            Claimed claimed = claimOnce();
            if (!claimed.deliveries().isEmpty() || !claimed.blockedByEndpoints()) {
                return claimed.deliveries();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !finished.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                return List.of();
            }
            // a few more finish meanwhile: one claim statement for several of them
            Thread.sleep(GATHER_MILLIS);
        }
    }

    private record Claimed(List<Delivery> deliveries, boolean blockedByEndpoints) {
    }

    private Claimed claimOnce() throws InterruptedException {
        if (!slots.tryAcquire(POLL_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
            return new Claimed(List.of(), false);
        }
        int wanted = Math.min(1 + slots.drainPermits(), settings.batchSize());
        List<Delivery> claimed = List.of();
        try {
            OffsetDateTime now = now();
            List<long[]> candidates = jdbc.query(CANDIDATES, (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                    now, now, wanted * 4);
            List<Long> chosen = new ArrayList<>();
            Map<Long, Integer> taken = new HashMap<>();
            for (long[] candidate : candidates) {
                int busy = inFlight.getOrDefault(candidate[1], 0) + taken.getOrDefault(candidate[1], 0);
                if (busy < settings.perEndpoint() && chosen.size() < wanted) {
                    chosen.add(candidate[0]);
                    taken.merge(candidate[1], 1, Integer::sum);
                }
            }
            if (chosen.isEmpty()) {
                return new Claimed(claimed, !candidates.isEmpty());
            }
            String token = UUID.randomUUID().toString();
            MapSqlParameterSource claim = new MapSqlParameterSource("ids", chosen).addValue("token", token)
                    .addValue("owner", node).addValue("now", now).addValue("until", now.plus(settings.lease()));
            // a row another node claimed meanwhile no longer matches: the lease decides, not the candidate list
            named.update("UPDATE webhook_delivery SET claim_token = :token, lease_owner = :owner,"
                    + " lease_until = :until WHERE id IN (:ids) AND state = 'pending'"
                    + " AND (lease_until IS NULL OR lease_until < :now)", claim);
            claimed = named.query(CLAIMED, claim, (rs, i) -> new Delivery(rs.getLong("id"), rs.getLong("webhook_id"),
                    rs.getLong("company_id"), rs.getString("url"), cipher.decrypt(rs.getString("secret_enc")),
                    previousSecret(rs.getString("previous_secret_enc"),
                            rs.getObject("previous_secret_until", OffsetDateTime.class), now),
                    rs.getString("event_id"), rs.getString("type"), payload(rs.getString("event_id"),
                            rs.getString("type"), rs.getLong("company_id"), rs.getString("subject"),
                            rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("data")),
                    rs.getInt("attempts"), token, rs.getObject("failing_since") != null));
            claimed.forEach(delivery -> inFlight.merge(delivery.webhookId(), 1, Integer::sum));
            return new Claimed(claimed, false);
        } finally {
            slots.release(wanted - claimed.size());
        }
    }

    /** Successes were recorded: a claim waiting for an endpoint's slot tries again. */
    public void recorded() {
        finished.release();
    }

    /** A ping for {@code POST /webhooks/{id}/test}: sent now, recorded as an attempt, never retried. */
    public Delivery ping(long webhookId) {
        Map<String, Object> row = jdbc.queryForMap("SELECT company_id, url, secret_enc, previous_secret_enc"
                + " FROM webhook WHERE id = ?", webhookId);
        long companyId = ((Number) row.get("company_id")).longValue();
        OffsetDateTime now = now();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        return new Delivery(null, webhookId, companyId, (String) row.get("url"),
                cipher.decrypt((String) row.get("secret_enc")), previousSecret((String) row.get("previous_secret_enc"),
                        jdbc.queryForObject("SELECT previous_secret_until FROM webhook WHERE id = ?",
                                OffsetDateTime.class, webhookId), now), eventId, EventTypes.PING,
                payload(eventId, EventTypes.PING, companyId, String.valueOf(webhookId), now, "{}"), 0, null, false);
    }

    /** The previous secret while its overlap lasts, decrypted; else null. */
    private String previousSecret(String encrypted, OffsetDateTime until, OffsetDateTime now) {
        return encrypted != null && until != null && until.isAfter(now) ? cipher.decrypt(encrypted) : null;
    }

    /** Sets up the POST: Standard Webhooks headers, and nothing else of the exchange goes out. */
    public void prepare(Exchange exchange) {
        Delivery delivery = exchange.getMessage().getBody(Delivery.class);
        if (!delivery.isPing()) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    inFlight.computeIfPresent(delivery.webhookId(), (webhook, count) -> count > 1 ? count - 1 : null);
                    slots.release();
                    finished.release();
                }
            });
        }
        exchange.setVariable(DELIVERY, delivery);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        URI uri = URI.create(delivery.url());
        exchange.setVariable(ENDPOINT, uri.getScheme().toLowerCase() + "://" + uri.getRawAuthority()
                + "?throwExceptionOnFailure=false&followRedirects=false"
                + "&connectTimeout=" + settings.connectTimeout().toMillis()
                + "&responseTimeout=" + settings.timeout().toMillis()
                + "&soTimeout=" + settings.timeout().toMillis()
                + "&connectionsPerRoute=" + settings.perEndpoint());
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
        exchange.setVariable(STARTED_NANOS, System.nanoTime());
    }

    /** The endpoint answered (any status). */
    public Map<String, Object> answered(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = message.getBody(String.class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        message.removeHeaders("*");
        return record(exchange, status, null, body, retryAfter);
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
            jdbc.update("INSERT INTO webhook_attempt (webhook_id, delivery_id, event_id, event_type, attempted_at,"
                    + " outcome, status_code, latency_ms, error, response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    delivery.webhookId(), delivery.deliveryId(), delivery.eventId(), delivery.type(), now, result,
                    status, latencyMs, truncate(error, 2000), truncate(body, EXCERPT));
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
        return jdbc.update("UPDATE webhook_delivery SET state = ?, attempts = attempts + 1, last_status = ?,"
                + " last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),"
                + " finished_at = ?, claim_token = NULL, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND claim_token = ?",
                state, status, truncate(error, 2000), nextAttempt, state.equals("pending") ? null : now,
                delivery.deliveryId(),
                delivery.claimToken()) == 1;
    }

    /** A failure starts or extends the endpoint's failure streak; 410, or one longer than allowed, disables it. */
    private void endpointHealth(Delivery delivery, boolean gone, Integer status, String error, OffsetDateTime now) {
        jdbc.update("UPDATE webhook SET failing_since = ? WHERE id = ? AND failing_since IS NULL", now,
                delivery.webhookId());
        OffsetDateTime failingSince = jdbc.queryForObject("SELECT failing_since FROM webhook WHERE id = ?",
                OffsetDateTime.class, delivery.webhookId());
        String reason = gone ? "The endpoint answered 410 Gone."
                : failingSince != null && !failingSince.plus(settings.disableAfter()).isAfter(now)
                ? "No successful delivery since " + failingSince.toInstant() + " (mm.webhooks.disable-after); last: "
                        + (status == null ? error : "HTTP " + status) : null;
        if (reason != null && jdbc.update("UPDATE webhook SET enabled = FALSE, disabled_reason = ?, disabled_at = ?"
                + " WHERE id = ? AND enabled = TRUE", truncate(reason, 500), now, delivery.webhookId()) == 1) {
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

    private String payload(String eventId, String type, long companyId, String subject, OffsetDateTime at,
                           String data) {
        ObjectNode payload = json.createObjectNode();
        payload.put("id", eventId);
        payload.put("type", type);
        payload.put("timestamp", at.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
        payload.put("companyId", companyId);
        payload.put("subject", subject);
        try {
            payload.set("data", json.readTree(data));
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event data is not JSON", e);
        }
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
