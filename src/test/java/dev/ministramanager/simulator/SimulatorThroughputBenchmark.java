package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ministramanager.testsupport.BenchmarkFigures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GET users/&lt;login&gt; against 100 000 accounts over 16 keep-alive connections, loopback only; prints requests per
 * second and latency percentiles. Run with {@code ./mvnw -B -Pbenchmark verify -Dtest=SimulatorThroughputBenchmark}.
 */
@Tag("benchmark")
class SimulatorThroughputBenchmark {

    private static final int ACCOUNTS = 100_000;
    private static final int CONNECTIONS = 16;
    private static final int WARM_UP_REQUESTS = 40_000;
    private static final int MEASURED_REQUESTS = 300_000;
    private static final long TIME_LIMIT_SECONDS = 60;
    private static final double GOAL_PER_SECOND = 20_000;

    @Test
    void usersByLoginWith100kAccountsAnd16Connections() throws Exception {
        try (MinistraSimulator simulator = MinistraSimulator.start(SimulatorSettings.defaults().withPort(0)
                .withCredentials("bench", "bench-secret"))) {
            long loadStart = System.nanoTime();
            simulator.loadAccounts(ACCOUNTS, "bench");
            System.out.printf(Locale.ROOT, "loaded %,d accounts in %d ms%n", ACCOUNTS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart));

            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            try {
                HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                                .setTcpNoDelay(true).setDefaultHost("127.0.0.1").setDefaultPort(simulator.port()),
                        new PoolOptions().setHttp1MaxSize(CONNECTIONS));
                String authorization = "Basic " + Base64.getEncoder()
                        .encodeToString("bench:bench-secret".getBytes(StandardCharsets.UTF_8));

                run(client, authorization, WARM_UP_REQUESTS);
                long cpuBefore = processCpuNanos();
                Result result = run(client, authorization, MEASURED_REQUESTS);
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;

                long[] latencies = Arrays.copyOf(result.latenciesNanos, result.completed);
                Arrays.sort(latencies);
                double perSecond = result.completed / (result.elapsedNanos / 1e9);
                System.out.printf(Locale.ROOT, "GET users/<login>: %,d requests over %d connections in %.2f s "
                                + "= %,.0f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                                + "max %.2f ms; errors %d%n",
                        result.completed, CONNECTIONS, result.elapsedNanos / 1e9, perSecond,
                        percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                        percentile(latencies, 99.9), latencies[latencies.length - 1] / 1e6, result.errors);
                // client and simulator share this machine's cores with whatever else runs: say how busy it was
                System.out.printf(Locale.ROOT, "this JVM (simulator and client) used %.1f s CPU in %.1f s: %.2f of %d "
                                + "cores; system load average %.2f%n", cpuSeconds, result.elapsedNanos / 1e9,
                        cpuSeconds / (result.elapsedNanos / 1e9), Runtime.getRuntime().availableProcessors(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

                BenchmarkFigures.record("SimulatorThroughputBenchmark",
                        "simulator GET users/<login>, %d connections".formatted(CONNECTIONS), perSecond, "/s",
                        ">= %,.0f /s".formatted(GOAL_PER_SECOND), perSecond >= GOAL_PER_SECOND);
                BenchmarkFigures.record("SimulatorThroughputBenchmark", "simulator GET users/<login>, p99 latency",
                        percentile(latencies, 99), "ms");
                assertThat(result.errors).isZero();
                assertThat(perSecond).as("requests per second").isGreaterThanOrEqualTo(GOAL_PER_SECOND);
            } finally {
                clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Result(int completed, long elapsedNanos, long errors, long[] latenciesNanos) {
    }

    /** 16 closed loops (one request in flight per connection) until {@code total} answers or the time limit. */
    private static Result run(HttpClient client, String authorization, int total) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
        long start = System.nanoTime();
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Promise<Void> done = Promise.promise();
            loops.add(done.future());
            next(client, authorization, latencies, issued, completed, errors, deadline, done);
        }
        Future.all(loops).toCompletionStage().toCompletableFuture().get(TIME_LIMIT_SECONDS + 10, TimeUnit.SECONDS);
        return new Result(completed.get(), System.nanoTime() - start, errors.get(), latencies);
    }

    private static void next(HttpClient client, String authorization, long[] latencies, AtomicInteger issued,
                             AtomicInteger completed, AtomicLong errors, long deadline, Promise<Void> done) {
        if (issued.getAndIncrement() >= latencies.length || System.nanoTime() > deadline) {
            done.tryComplete();
            return;
        }
        String login = "bench" + ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1);
        long sent = System.nanoTime();
        client.request(new RequestOptions().setMethod(HttpMethod.GET)
                        .setURI("/stalker_portal/api/v1/users/" + login).putHeader("Authorization", authorization))
                .compose(request -> request.send().compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200 || !body.toString().contains("\"login\":\"" + login + "\"")) {
                        errors.incrementAndGet();
                    }
                    return body;
                })))
                .onComplete(answer -> {
                    if (answer.failed()) {
                        errors.incrementAndGet();
                    }
                    int index = completed.getAndIncrement();
                    if (index < latencies.length) {
                        latencies[index] = System.nanoTime() - sent;
                    }
                    next(client, authorization, latencies, issued, completed, errors, deadline, done);
                });
    }

    private static double percentile(long[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
