package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 account creates at a steady 500 per second through the REST API, each pushed to the simulator, so that
 * every account gives two events (account.created, account.synced); a local receiver subscribed to account.* gets
 * them. Prints the events delivered per second and the outbox lag (receipt minus the event's time) at p50, p99 and
 * max; the goal is a p99 lag of at most 1 s. On PostgreSQL, one node.
 * Run: {@code ./mvnw -B -Pbenchmark test -Dtest=WebhookDeliveryBenchmark}
 */
@Tag("benchmark")
@ExtendWith(SimulatorExtension.class)
class WebhookDeliveryBenchmark {

    private static final int CHANGES = 10_000;
    private static final int RATE = 500;

    @Test
    void deliveryKeepsUpWithFiveHundredChangesPerSecond(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.accounts.push.rate-per-second", "2000",
                     "mm.db.pool-size", "20",
                     "mm.status.refresh-enabled", "false"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Benchmark ISP");
            EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Semaphore inFlight = new Semaphore(32);
            AtomicInteger failed = new AtomicInteger();
            List<CompletableFuture<?>> calls = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < CHANGES; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.acquire();
                HttpRequest request = service.request(service.api("/accounts?company=" + company), ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"bench" + i + "\",\"password\":"
                                + "\"Bench-Pw-" + i + "\"}")).build();
                calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null || r.statusCode() != 201) {
                        failed.incrementAndGet();
                    }
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            double createSeconds = (System.nanoTime() - start) / 1e9;
            long lastReport = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (receiver.count() < 2 * CHANGES && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf("WebhookDeliveryBenchmark: %d events received so far%n", receiver.count());
                }
            }

            List<WebhookReceiver.Received> received = receiver.received();
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
                            + " %d cores, load %.2f%n", CHANGES, createSeconds, CHANGES / createSeconds, failed.get(),
                    received.size(), seconds, received.size() / seconds, percentile(lags, 0.50),
                    percentile(lags, 0.99), lags.get(lags.size() - 1), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(failed.get()).isZero();
            assertThat(received.stream().map(WebhookReceiver.Received::id).distinct().count())
                    .isEqualTo(2L * CHANGES);
        }
    }

    private static long percentile(List<Long> sorted, double share) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }
}
