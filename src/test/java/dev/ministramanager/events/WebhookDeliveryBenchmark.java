package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.SimulatorProcess;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 account creates submitted through the REST API on a fixed-rate schedule of 500 per second (a slow answer
 * does not hold back the next create, up to {@value #IN_FLIGHT} in flight), each pushed to the simulator, so that
 * every account gives two events (account.created, account.synced); a receiver subscribed to account.* gets them.
 * The simulator and the receiver run in JVMs of their own, so this JVM is the service and the benchmark's client,
 * whose threads' CPU time is measured and taken off: the CPU figure is the service's. Prints the changes submitted
 * per second, the events delivered per second, the outbox lag (arrival minus the event's time) at p50, p99 and max,
 * and the service's CPU per event; the goal is a p99 lag of at most 1 s at 500 changes per second. On PostgreSQL, one
 * node; {@code -Dbenchmark.changes=N} for a shorter run.
 * Run: {@code ./mvnw -B -Pbenchmark verify -Dtest=WebhookDeliveryBenchmark}
 */
@Tag("benchmark")
class WebhookDeliveryBenchmark {

    private static final String NAME = "WebhookDeliveryBenchmark";
    private static final int CHANGES = Integer.getInteger("benchmark.changes", 10_000);
    private static final int RATE = 500;
    private static final int WARM_UP = 2_000;
    /** The warm-up's rate: slower, for a service whose JIT has not compiled its paths yet. */
    private static final int WARM_UP_RATE = 200;
    /**
     * Then rounds of this many creates at the measured rate, not measured either, until the JIT compilers are nearly
     * done: after the slow warm-up alone they had a fifth of the measured window's CPU time, and after one such round
     * still more than a third on a loaded machine, where they get little of the cores.
     */
    private static final int WARM_UP_ROUND = 2_000;
    private static final int WARM_UP_ROUNDS_AT_MOST = 8;
    /** The JIT counts as done when its compilers had less than this share of the CPU time of a round. */
    private static final double JIT_SETTLED = 0.05;
    /**
     * Creates in flight at most: beyond, a tick of the schedule waits (and the rate achieved shows it). Unbounded, an
     * overloaded service's open connections exhaust the file descriptors of this JVM, client and service alike.
     */
    private static final int IN_FLIGHT = 256;
    /** Threads of the benchmark's client (pacing, HTTP): their CPU time is not the service's. */
    private static final String CLIENT_THREADS = "bench-client";

    @Test
    void deliveryKeepsUpWithFiveHundredChangesPerSecond() throws Exception {
        try (SimulatorProcess ministra = SimulatorProcess.start(Path.of("target/benchmark-webhooks-simulator.log"));
             WebhookReceiverProcess receiver = WebhookReceiverProcess.start(
                     Path.of("target/benchmark-webhooks-receiver.log"));
             TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.accounts.push.rate-per-second", "2000",
                     "mm.db.pool-size", "20",
                     "mm.status.refresh-enabled", "false"))) {
            long company = ServiceFixture.company(service, "Benchmark ISP", ministra.apiBaseUrl(),
                    "\"readTimeoutMs\":5000");
            EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            AtomicInteger clientThreads = new AtomicInteger();
            ExecutorService clientPool = Executors.newFixedThreadPool(2,
                    task -> new Thread(task, CLIENT_THREADS + "-" + clientThreads.incrementAndGet()));
            ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT,
                    task -> new Thread(task, CLIENT_THREADS + "-sender-" + clientThreads.incrementAndGet()));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientPool)
                    .build();
            // one pacing thread for both runs, so that its CPU time is still counted (as the client's) at the end
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
                    task -> new Thread(task, CLIENT_THREADS + "-pacer"));
            // this machine's PostgreSQL runs without autovacuum, which on a server analyses a table once a tenth of
            // it changed (within the minute here): without statistics the planner takes the tables for nearly empty,
            // and the claim's probe for an older delivery of the same subject walks every waiting one (seconds)
            ScheduledExecutorService autovacuum = Executors.newSingleThreadScheduledExecutor(
                    task -> new Thread(task, CLIENT_THREADS + "-autovacuum"));
            autovacuum.scheduleWithFixedDelay(() -> {
                try (Connection connection = database.connect()) {
                    connection.createStatement().execute("ANALYZE webhook_delivery");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 1, 5, TimeUnit.SECONDS);
            // warm-up, not measured: the JIT compiles the paths
            AtomicInteger warmFailed = new AtomicInteger();
            paced(pacer, senders, service, client, company, "warm", WARM_UP, WARM_UP_RATE, warmFailed);
            int warmChanges = WARM_UP;
            awaitReceived(receiver, 2 * (warmChanges - warmFailed.get()));
            for (int round = 1; round <= WARM_UP_ROUNDS_AT_MOST; round++) {
                ServiceCpuBreakdown roundStarted = ServiceCpuBreakdown.now();
                paced(pacer, senders, service, client, company, "hot" + round + "-", WARM_UP_ROUND, RATE, warmFailed);
                warmChanges += WARM_UP_ROUND;
                awaitReceived(receiver, 2 * (warmChanges - warmFailed.get()));
                double compiling = ServiceCpuBreakdown.now().shareSince(roundStarted, ServiceCpuBreakdown.JIT);
                System.out.printf("%s: warm-up round %d at %d /s, the JIT compilers %.0f%% of the CPU time%n", NAME,
                        round, RATE, 100 * compiling);
                if (compiling < JIT_SETTLED) {
                    break;
                }
            }
            int warmEvents = 2 * (warmChanges - warmFailed.get());
            // and the other tables' statistics (a login looked up through its index, not a company's every account)
            try (Connection connection = database.connect()) {
                connection.createStatement().execute("ANALYZE");
            }
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

            AtomicInteger failed = new AtomicInteger();
            java.time.Instant measuredFrom = java.time.Instant.now();
            ServiceCpuBreakdown breakdownBefore = ServiceCpuBreakdown.now();
            long cpuBefore = processCpuNanos() - threadsCpuNanos(CLIENT_THREADS);
            Duration simulatorCpuBefore = ministra.cpuTime();
            Duration receiverCpuBefore = receiver.cpuTime();
            double submittedRate = paced(pacer, senders, service, client, company, "bench", CHANGES, RATE, failed);
            // a create that failed (a timeout on an overloaded machine) gave no events: reported, and the test fails
            int events = 2 * (CHANGES - failed.get());
            // every measured event (a warm-up create that timed out at the client may still have given its events,
            // so the receiver's count alone could be reached before the last measured one arrived)
            awaitReceived(receiver, warmEvents + events);
            awaitMeasured(receiver, "bench", events);
            Map<String, Double> breakdown = ServiceCpuBreakdown.now().millisPerUnitSince(breakdownBefore, events / 2);
            double serviceCpuMillisPerEvent = (processCpuNanos() - threadsCpuNanos(CLIENT_THREADS) - cpuBefore)
                    / 1e6 / events;
            double simulatorCpuMillisPerEvent = ministra.cpuTime().minus(simulatorCpuBefore).toNanos() / 1e6 / events;
            double receiverCpuMillisPerEvent = receiver.cpuTime().minus(receiverCpuBefore).toNanos() / 1e6 / events;
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf("%s: measured from %s to %s%n", NAME, measuredFrom, java.time.Instant.now());
            autovacuum.shutdownNow();
            clientPool.shutdownNow();
            senders.shutdownNow();
            pacer.shutdownNow();

            List<WebhookReceiverProcess.Arrival> received = receiver.received().stream()
                    .filter(arrival -> arrival.subject().startsWith("bench")).toList();
            List<Long> lags = new ArrayList<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (WebhookReceiverProcess.Arrival arrival : received) {
                lags.add(arrival.arrivedMillis() - arrival.occurredMillis());
                first = Math.min(first, arrival.occurredMillis());
                last = Math.max(last, arrival.arrivedMillis());
            }
            Collections.sort(lags);
            double seconds = (last - first) / 1000.0;
            double deliveredRate = received.size() / seconds;
            long lagP99 = percentile(lags, 0.99);
            System.out.printf("%n%s (PostgreSQL, one node, %d cores; simulator and receiver in JVMs of their own;"
                    + " after a warm-up of %,d changes, %,d of them at %d /s and the rest at %d /s)%n", NAME,
                    Runtime.getRuntime().availableProcessors(), warmChanges, WARM_UP, WARM_UP_RATE, RATE);
            System.out.printf("  changes submitted:   %,8.0f /s  (goal %d /s on a fixed-rate schedule; %,d changes,"
                    + " %d failed)%n", submittedRate, RATE, CHANGES, failed.get());
            System.out.printf("  events delivered:    %,8.0f /s  (%,d events)%n", deliveredRate, received.size());
            System.out.printf("  outbox lag:          p50 %,d ms, p99 %,d ms (goal <= 1,000 ms), max %,d ms%n",
                    percentile(lags, 0.50), lagP99, lags.get(lags.size() - 1));
            System.out.printf("  CPU per event:       %.3f ms of the service (creates, pushes and delivery), %.3f ms"
                    + " of the simulator, %.3f ms of the receiver%n", serviceCpuMillisPerEvent,
                    simulatorCpuMillisPerEvent, receiverCpuMillisPerEvent);
            System.out.printf("  CPU per change by kind of work (ms; the client's is not the service's):%n");
            breakdown.forEach((kind, millis) -> System.out.printf("    %-45s %6.3f%n", kind, millis));
            List<Object> latency = EventsFixture.rows(database, "SELECT ROUND(AVG(latency_ms), 1), MAX(latency_ms)"
                    + " FROM webhook_attempt").get(0);
            System.out.printf("  attempts' HTTP latency avg %s ms, max %s ms; load average %.1f before, %.1f after%n%n",
                    latency.get(0), latency.get(1), loadBefore, loadAfter);
            BenchmarkFigures.record(NAME, "account changes per second submitted", submittedRate, "/s",
                    ">= %d /s".formatted(RATE), submittedRate >= 0.98 * RATE);
            BenchmarkFigures.record(NAME, "events delivered per second", deliveredRate, "/s");
            BenchmarkFigures.record(NAME, "service CPU per event (creates, pushes and delivery)",
                    serviceCpuMillisPerEvent, "ms");
            BenchmarkFigures.record(NAME, "outbox lag p50", percentile(lags, 0.50), "ms");
            BenchmarkFigures.record(NAME, "outbox lag p99", lagP99, "ms", "<= 1,000 ms", lagP99 <= 1_000);
            BenchmarkFigures.record(NAME, "outbox lag max", lags.get(lags.size() - 1), "ms");
            assertThat(failed.get()).isZero();
            assertThat(received.stream().map(WebhookReceiverProcess.Arrival::id).distinct().count())
                    .isEqualTo(events);
        }
    }

    /**
     * Creates accounts through the REST API, one every 1/{@code rate} s on a fixed-rate schedule whatever the
     * answers take: each tick hands one create to the client's senders, {@value #IN_FLIGHT} threads that each send
     * and wait for the answer (no thread is made per answer, as the JDK client's asynchronous completions do on two
     * cores, whose CPU would count as the service's). Waits for every answer. Answers the rate achieved: creates over
     * the time from the first send to the last.
     */
    private static double paced(ScheduledExecutorService pacer, ExecutorService senders, ServiceUnderTest service,
                                HttpClient client, long company, String prefix, int count, int rate,
                                AtomicInteger failed) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(count);
        AtomicLong firstSent = new AtomicLong();
        AtomicLong lastSent = new AtomicLong();
        ScheduledFuture<?> schedule = pacer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            senders.execute(() -> {
                long now = System.nanoTime();
                firstSent.compareAndSet(0, now);
                lastSent.accumulateAndGet(now, Math::max);
                HttpRequest request = service.request(service.api("/accounts?company=" + company), ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + prefix + i + "\",\"password\":"
                                + "\"Bench-Pw-" + i + "\"}")).build();
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 201) {
                        failed.incrementAndGet();
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    failed.incrementAndGet();
                } finally {
                    answered.countDown();
                }
            });
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        answered.await();
        schedule.cancel(false);
        return (count - 1) / ((lastSent.get() - firstSent.get()) / 1e9);
    }

    private static void awaitReceived(WebhookReceiverProcess receiver, int count) throws Exception {
        long lastReport = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (receiver.count() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf("%s: %d of %d events received%n", NAME, receiver.count(), count);
            }
        }
        assertThat(receiver.count()).as("events received").isGreaterThanOrEqualTo(count);
    }

    /** Waits until {@code count} distinct events of subjects starting with {@code prefix} arrived (5 minutes). */
    private static void awaitMeasured(WebhookReceiverProcess receiver, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long arrived;
        do {
            arrived = receiver.received().stream().filter(arrival -> arrival.subject().startsWith(prefix))
                    .map(WebhookReceiverProcess.Arrival::id).distinct().count();
            if (arrived < count) {
                Thread.sleep(500);
            }
        } while (arrived < count && System.nanoTime() < deadline);
        assertThat(arrived).as("measured events received").isGreaterThanOrEqualTo(count);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time so far of the live threads whose names start with {@code prefix}, and of the HTTP client's selector. */
    private static long threadsCpuNanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix) || thread.getName().startsWith("HttpClient-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    private static long percentile(List<Long> sorted, double share) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }
}
