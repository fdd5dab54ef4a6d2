package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 account creates at a steady 500 per second through the REST API, each pushed to the simulator, so that
 * every account gives two events (account.created, account.synced); a local receiver subscribed to account.* gets
 * them. Prints the events delivered per second and the outbox lag (receipt minus the event's time) at p50, p99 and
 * max; the goal is a p99 lag of at most 1 s. On PostgreSQL, one node; {@code -Dbenchmark.changes=N} for a shorter run.
 * Run: {@code ./mvnw -B -Pbenchmark verify -Dtest=WebhookDeliveryBenchmark}
 */
@Tag("benchmark")
@ExtendWith(SimulatorExtension.class)
class WebhookDeliveryBenchmark {

    private static final int CHANGES = Integer.getInteger("benchmark.changes", 10_000);
    private static final int RATE = 500;
    private static final int WARM_UP = 1_000;
    /** mm.webhooks.per-endpoint-concurrency (8 by default, as configured); -Dbenchmark.per-endpoint=N to compare. */
    private static final int PER_ENDPOINT = Integer.getInteger("benchmark.per-endpoint", 8);

    @Test
    void deliveryKeepsUpWithFiveHundredChangesPerSecond(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.accounts.push.rate-per-second", "2000",
                     "mm.db.pool-size", "20",
                     "mm.webhooks.per-endpoint-concurrency", String.valueOf(PER_ENDPOINT),
                     "mm.webhooks.workers", String.valueOf(2 * PER_ENDPOINT),
                     "mm.status.refresh-enabled", "false"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Benchmark ISP");
            EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // warm-up, not measured: the JIT compiles the paths; then the statistics a production server's autovacuum
            // keeps (this machine's PostgreSQL runs with autovacuum off), so that the claim walks its partial index
            create(service, client, company, "warm", WARM_UP, new AtomicInteger());
            awaitReceived(receiver, 2 * WARM_UP);
            try (java.sql.Connection connection = database.connect()) {
                connection.createStatement().execute("ANALYZE");
            }
            int warmEvents = receiver.count();
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

            // this machine's PostgreSQL runs without autovacuum, which on a server re-analyses a table once a tenth
            // of it changed (within the minute here): without fresh statistics the claim sorts every waiting delivery
            java.util.concurrent.ScheduledExecutorService autovacuum =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            autovacuum.scheduleWithFixedDelay(() -> {
                try (java.sql.Connection connection = database.connect()) {
                    connection.createStatement().execute("ANALYZE webhook_delivery");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
            AtomicInteger failed = new AtomicInteger();
            long cpuBefore = processCpuNanos();
            Map<Long, Long> deliveryCpuBefore = deliveryThreadsCpuNanos(false);
            Map<Long, Long> deliveryUserCpuBefore = deliveryThreadsCpuNanos(true);
            long start = System.nanoTime();
            create(service, client, company, "bench", CHANGES, failed);
            double createSeconds = (System.nanoTime() - start) / 1e9;
            awaitReceived(receiver, warmEvents + 2 * CHANGES);
            double cpuMillisPerEvent = (processCpuNanos() - cpuBefore) / 1e6 / (2.0 * CHANGES);
            double deliveryCpuMillisPerEvent = deliveryCpuNanosSince(deliveryCpuBefore, false) / 1e6 / (2.0 * CHANGES);
            double deliveryUserCpuMillisPerEvent = deliveryCpuNanosSince(deliveryUserCpuBefore, true) / 1e6
                    / (2.0 * CHANGES);
            autovacuum.shutdownNow();

            List<WebhookReceiver.Received> received = receiver.received().stream()
                    .filter(event -> event.json().get("subject").asText().startsWith("bench")).toList();
            List<Long> lags = new ArrayList<>();
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            for (WebhookReceiver.Received event : received) {
                Instant at = Instant.parse(event.json().get("timestamp").asText());
                lags.add(Duration.between(at, event.at()).toMillis());
                first = at.isBefore(first) ? at : first;
                last = event.at().isAfter(last) ? event.at() : last;
            }
            Collections.sort(lags);
            double seconds = Duration.between(first, last).toMillis() / 1000.0;
            System.out.printf("WebhookDeliveryBenchmark: %d creates in %.1f s (%.0f/s, %d failed); %d events"
                            + " delivered in %.1f s = %.0f events/s; outbox lag p50 %d ms, p99 %d ms, max %d ms;"
                            + " %d per endpoint; %d cores, load %.2f before, %.2f after%n", CHANGES, createSeconds, CHANGES / createSeconds, failed.get(),
                    received.size(), seconds, received.size() / seconds, percentile(lags, 0.50),
                    percentile(lags, 0.99), lags.get(lags.size() - 1), PER_ENDPOINT, Runtime.getRuntime().availableProcessors(), loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("WebhookDeliveryBenchmark: attempts' HTTP latency avg %s ms, max %s ms%n",
                    EventsFixture.rows(database, "SELECT AVG(latency_ms), MAX(latency_ms) FROM webhook_attempt").get(0)
                            .toArray());
            System.out.printf("WebhookDeliveryBenchmark: CPU per event %.3f ms in the delivery's threads (%.3f ms of it"
                    + " in user mode), %.3f ms in the whole JVM (service, simulator, receiver and client: creates and"
                    + " pushes included)%n", deliveryCpuMillisPerEvent, deliveryUserCpuMillisPerEvent,
                    cpuMillisPerEvent);
            String name = "WebhookDeliveryBenchmark";
            BenchmarkFigures.record(name, "account changes per second submitted", CHANGES / createSeconds, "/s",
                    ">= %d /s".formatted(RATE), CHANGES / createSeconds >= 0.95 * RATE);
            BenchmarkFigures.record(name, "events delivered per second", received.size() / seconds, "/s");
            BenchmarkFigures.record(name, "CPU per event in the delivery's threads", deliveryCpuMillisPerEvent, "ms");
            BenchmarkFigures.record(name, "CPU per event in the whole JVM (creates and pushes included)",
                    cpuMillisPerEvent, "ms");
            long lagP99 = percentile(lags, 0.99);
            BenchmarkFigures.record(name, "outbox lag p99", lagP99, "ms", "<= 1,000 ms", lagP99 <= 1_000);
            assertThat(failed.get()).isZero();
            assertThat(received.stream().map(WebhookReceiver.Received::id).distinct().count())
                    .isEqualTo(2L * CHANGES);
        }
    }

    /** Creates accounts through the REST API at {@link #RATE} per second, at most 32 requests in flight. */
    private static void create(ServiceUnderTest service, HttpClient client, long company, String prefix, int count,
                               AtomicInteger failed) throws InterruptedException {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * 1_000_000_000L / RATE - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            inFlight.acquire();
            HttpRequest request = service.request(service.api("/accounts?company=" + company), ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + prefix + i + "\",\"password\":"
                            + "\"Bench-Pw-" + i + "\"}")).build();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                inFlight.release();
                if (e != null || r.statusCode() != 201) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    }

    private static void awaitReceived(WebhookReceiver receiver, int count) throws InterruptedException {
        long lastReport = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (receiver.count() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf("WebhookDeliveryBenchmark: %d of %d events received%n", receiver.count(), count);
            }
        }
        assertThat(receiver.count()).as("events received").isGreaterThanOrEqualTo(count);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time so far (only in user mode, or also in the kernel) of each live thread of the webhook delivery (its
     * routes' threads are named after them).
     */
    private static Map<Long, Long> deliveryThreadsCpuNanos(boolean userMode) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().contains("webhook-delivery")) {
                long nanos = userMode ? threads.getThreadUserTime(thread.getId())
                        : threads.getThreadCpuTime(thread.getId());
                cpu.put(thread.getId(), Math.max(0, nanos));
            }
        }
        return cpu;
    }

    private static long deliveryCpuNanosSince(Map<Long, Long> before, boolean userMode) {
        long total = 0;
        for (Map.Entry<Long, Long> thread : deliveryThreadsCpuNanos(userMode).entrySet()) {
            total += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }

    private static long percentile(List<Long> sorted, double share) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }
}
