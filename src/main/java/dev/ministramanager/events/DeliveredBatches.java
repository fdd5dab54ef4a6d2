package dev.ministramanager.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records successful deliveries in batches (up to 100 or 10 ms, one transaction; routes/webhooks-delivery.camel.yaml),
 * off the workers, so that a worker's time is the receiver's, not our database's. A claim no longer ours (its lease
 * ran out and another node took it) is left alone. Should recording fail, the leases run out and the events are
 * delivered again: duplicates, which at-least-once allows. Failures are recorded one by one by
 * {@link WebhookDeliveries}: they are rare and decide retries, dead letters and disabling.
 */
public class DeliveredBatches {

    /** Exchange variable of a successful delivery's attempt, waiting to be recorded. */
    public static final String DELIVERED = "webhookDelivered";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveredBatches.class);

    /** One successful attempt. */
    public record Delivered(Delivery delivery, int status, long latencyMs, String response, OffsetDateTime at) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final MeterRegistry metrics;
    private final boolean withoutWaitingForDisk;
    private final Runnable recorded;

    /** @param recorded called after each batch, so that a claim waiting for an endpoint's slot tries again */
    public DeliveredBatches(DataSource dataSource, MeterRegistry metrics, boolean withoutWaitingForDisk,
                            Runnable recorded) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.metrics = metrics;
        this.withoutWaitingForDisk = withoutWaitingForDisk;
        this.recorded = recorded;
    }

    public void record(List<Exchange> batch) {
        List<Delivered> delivered = batch.stream().map(e -> e.getVariable(DELIVERED, Delivered.class)).toList();
        try {
            int[] settled = transaction.execute(tx -> {
                if (withoutWaitingForDisk) {
                    // should the database crash before this commit reaches the disk, the leases run out and the
                    // events are delivered again: duplicates, which at-least-once allows
                    jdbc.execute("SET LOCAL synchronous_commit TO OFF");
                }
                int[] counts = jdbc.batchUpdate("UPDATE webhook_delivery SET state = 'delivered',"
                        + " attempts = attempts + 1, last_status = ?, last_error = NULL, finished_at = ?,"
                        + " claim_token = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? AND claim_token = ?",
                        delivered.stream().map(d -> new Object[] {d.status(), d.at(), d.delivery().deliveryId(),
                            d.delivery().claimToken()}).toList());
                List<Object[]> attempts = new ArrayList<>();
                List<Object[]> recovered = new ArrayList<>();
                for (int i = 0; i < delivered.size(); i++) {
                    Delivered d = delivered.get(i);
                    attempts.add(new Object[] {d.delivery().webhookId(), d.delivery().deliveryId(),
                        d.delivery().eventId(), d.delivery().type(), d.at(), counts[i] == 0 ? "lost" : "delivered",
                        d.status(), d.latencyMs(), d.response()});
                    if (d.delivery().endpointFailing()) {
                        recovered.add(new Object[] {d.delivery().webhookId()});
                    }
                }
                jdbc.batchUpdate("INSERT INTO webhook_attempt (webhook_id, delivery_id, event_id, event_type,"
                        + " attempted_at, outcome, status_code, latency_ms, response_excerpt)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", attempts);
                // a success ends the endpoint's failure streak
                jdbc.batchUpdate("UPDATE webhook SET failing_since = NULL WHERE id = ?", recovered);
                return counts;
            });
            long lost = java.util.Arrays.stream(settled).filter(count -> count == 0).count();
            count("delivered", settled.length - lost);
            count("lost", lost);
        } catch (RuntimeException e) {
            LOG.warn("{} deliveries succeeded but were not recorded; they are sent again after their leases: {}",
                    delivered.size(), e.toString());
        } finally {
            recorded.run();
        }
    }

    private void count(String outcome, long amount) {
        if (amount > 0) {
            Counter.builder("mm.webhooks.deliveries").description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome).register(metrics).increment(amount);
        }
    }
}
