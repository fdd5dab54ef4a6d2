package dev.ministramanager.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
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
    private static final String DELIVERED_UPDATE = SqlStatements.load("webhooks-delivery-delivered");
    private static final String INSERT_ATTEMPT = SqlStatements.load("webhooks-attempt-insert");
    private static final String FAILING_END = SqlStatements.load("webhooks-failing-end");

    /** One successful attempt. */
    public record Delivered(Delivery delivery, int status, long latencyMs, String response, OffsetDateTime at) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final MeterRegistry metrics;
    /** Where the database allows it, the batch's commit does not wait for the disk; else null. */
    private final String commitWithoutDiskWait;
    /** On PostgreSQL the batch is settled in one statement; else null (one a delivery). */
    private final String deliveredBatch;
    private final Runnable recorded;

    /** @param recorded called after each batch: the next events of those subjects became claimable */
    public DeliveredBatches(DataSource dataSource, MeterRegistry metrics, SqlDialect dialect, Runnable recorded) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.metrics = metrics;
        this.commitWithoutDiskWait = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("webhooks-commit-without-disk-wait", dialect) : null;
        this.deliveredBatch = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("webhooks-delivery-delivered-batch", dialect) : null;
        this.recorded = recorded;
    }

    public void record(List<Exchange> batch) {
        List<Delivered> delivered = batch.stream().map(e -> e.getVariable(DELIVERED, Delivered.class)).toList();
        try {
            int[] settled = transaction.execute(tx -> {
                if (commitWithoutDiskWait != null) {
                    jdbc.execute(commitWithoutDiskWait);
                }
                int[] counts = settle(delivered);
                List<Object[]> attempts = new ArrayList<>();
                List<Object[]> recovered = new ArrayList<>();
                for (int i = 0; i < delivered.size(); i++) {
                    Delivered d = delivered.get(i);
                    attempts.add(new Object[] {d.delivery().webhookId(), d.delivery().deliveryId(),
                        d.delivery().eventId(), d.delivery().type(), d.at(), counts[i] == 0 ? "lost" : "delivered",
                        d.status(), d.latencyMs(), null, d.response()});
                    if (d.delivery().endpointFailing()) {
                        recovered.add(new Object[] {d.delivery().webhookId()});
                    }
                }
                jdbc.batchUpdate(INSERT_ATTEMPT, attempts);
                if (!recovered.isEmpty()) {
                    jdbc.batchUpdate(FAILING_END, recovered);
                }
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

    /** Marks the deliveries delivered: 1 for each whose claim was still ours, 0 for each lost. */
    private int[] settle(List<Delivered> delivered) {
        if (deliveredBatch == null) {
            return jdbc.batchUpdate(DELIVERED_UPDATE, delivered.stream().map(d -> new Object[] {
                d.status(), d.at(), d.delivery().deliveryId(), d.delivery().claimToken()}).toList());
        }
        Set<Long> settled = new HashSet<>(jdbc.queryForList(deliveredBatch, Long.class,
                delivered.stream().map(d -> d.delivery().deliveryId()).toArray(Long[]::new),
                delivered.stream().map(d -> d.delivery().claimToken()).toArray(String[]::new),
                delivered.stream().map(Delivered::status).toArray(Integer[]::new),
                delivered.stream().map(d -> d.at().toString()).toArray(String[]::new)));
        return delivered.stream().mapToInt(d -> settled.contains(d.delivery().deliveryId()) ? 1 : 0).toArray();
    }

    private void count(String outcome, long amount) {
        if (amount > 0) {
            Counter.builder("mm.webhooks.deliveries").description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome).register(metrics).increment(amount);
        }
    }
}
