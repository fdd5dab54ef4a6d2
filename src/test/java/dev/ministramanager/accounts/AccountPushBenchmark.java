package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.SimulatorProcess;
import dev.ministramanager.testsupport.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 new accounts pushed to the simulator with 20 ms latency by 16 workers, against the bound of 16 / 20 ms =
 * 800 pushes per second and against a one-at-a-time push; and the rate at which the REST API stores durable creates.
 * Measured after a warm-up of 3,000 creates and pushes (not counted). The simulator runs in a JVM of its own, so that
 * this JVM's CPU time while pushing is the service's (the benchmark's own part, a thread asking the database every
 * 20 ms whether pushes are pending, is negligible).
 * Run: {@code ./mvnw -Pbenchmark verify -Dtest=AccountPushBenchmark}
 */
@Tag("benchmark")
class AccountPushBenchmark {

    private static final int ACCOUNTS = 10_000;
    private static final int WARM_UP = 3_000;
    private static final int SEQUENTIAL_SAMPLE = 500;
    private static final int WORKERS = 16;
    private static final int CLIENTS = 16;
    private static final double BOUND = WORKERS / 0.020;

    @Test
    void pushThroughput() throws Exception {
        try (SimulatorProcess ministra = SimulatorProcess.start(Path.of("target/benchmark-push-simulator.log"));
             TestDatabase database = TestDatabase.postgres(); Connection watch = database.connect()) {
            long company;
            double createRate;
            double createCores;
            double loadAfterCreates;
            double parallelRate;
            double pushCores;
            double cpuMillisPerPush;
            double simulatorCpuMillisPerPush;
            double loadAfterPush;
            // one node for the warm-up and the measured runs, as a service runs for days: its JIT-compiled code
            // stays, and no start-up's compiling spills into a measured run
            try (ServiceUnderTest node = ServiceUnderTest.start(database, pushing(WORKERS))) {
                company = ServiceFixture.company(node, "Benchmark ISP", ministra.apiBaseUrl(),
                        "\"readTimeoutMs\":5000");
                AccountsFixture.seedPlans(database, company);
                ministra.control("POST", "faults", "{\"kind\":\"latency\",\"delay_ms\":20}");

                // warm-up, not measured: the JIT compiles the create and push paths (in a short run its compiling
                // would otherwise take much of the CPU, a cost a long-running service pays once)
                holdPushes(node);
                createAccounts(node, company, "warm", WARM_UP);
                releasePushes(node);
                awaitPushed(watch);
                // this machine's PostgreSQL runs with autovacuum off; a production server's autovacuum would have
                // analysed these tables long before (after their first 50 rows). Without statistics the planner may
                // find a login through a company-wide index (every account of the company read per lookup)
                watch.createStatement().execute("ANALYZE");

                // the creates, with the pushes held back so that the two are measured apart
                holdPushes(node);
                long cpuBefore = processCpuNanos();
                long started = System.nanoTime();
                createRate = createAccounts(node, company, "load", ACCOUNTS);
                createCores = (processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - started);
                loadAfterCreates = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

                cpuBefore = processCpuNanos();
                Duration simulatorCpuBefore = ministra.cpuTime();
                started = System.nanoTime();
                releasePushes(node);
                awaitPushed(watch);
                long elapsed = System.nanoTime() - started;
                parallelRate = ACCOUNTS / (elapsed / 1e9);
                long pushCpuNanos = processCpuNanos() - cpuBefore;
                pushCores = pushCpuNanos / (double) elapsed;
                cpuMillisPerPush = pushCpuNanos / 1e6 / ACCOUNTS;
                simulatorCpuMillisPerPush = ministra.cpuTime().minus(simulatorCpuBefore).toNanos() / 1e6 / ACCOUNTS;
                loadAfterPush = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            }
            assertThat(ministraAccounts(ministra)).isEqualTo(WARM_UP + ACCOUNTS);

            double sequentialRate;
            try (ServiceUnderTest node = ServiceUnderTest.start(database, pushing(1))) {
                holdPushes(node);
                createAccounts(node, company, "seq", SEQUENTIAL_SAMPLE);
                long started = System.nanoTime();
                releasePushes(node);
                awaitPushed(watch);
                sequentialRate = SEQUENTIAL_SAMPLE / ((System.nanoTime() - started) / 1e9);
            }
            assertThat(ministraAccounts(ministra)).isEqualTo(WARM_UP + ACCOUNTS + SEQUENTIAL_SAMPLE);

            System.out.printf("%nAccountPushBenchmark (20 ms Ministra latency, %d workers, PostgreSQL, %d cores;"
                            + " after a warm-up of %,d creates and pushes)%n",
                    WORKERS, Runtime.getRuntime().availableProcessors(), WARM_UP);
            System.out.printf("  REST durable creates:        %,8.0f /s  (goal >= 2,000 /s, %d connections, %,d"
                    + " accounts)%n", createRate, CLIENTS, ACCOUNTS);
            System.out.printf("  push, %2d workers:            %,8.0f /s  = %.0f%% of the bound %.0f /s (goal >= 90%%,"
                    + " %,d accounts)%n", WORKERS, parallelRate, 100 * parallelRate / BOUND, BOUND, ACCOUNTS);
            System.out.printf("  push, one at a time:         %,8.1f /s  (%d accounts)%n", sequentialRate,
                    SEQUENTIAL_SAMPLE);
            System.out.printf("  speed-up over one at a time: %8.1f x  (goal >= 10 x)%n",
                    parallelRate / sequentialRate);
            System.out.printf("  CPU per push:                %8.3f ms of the service (goal <= 0.6 ms), %.3f ms of the"
                    + " simulator%n", cpuMillisPerPush, simulatorCpuMillisPerPush);
            // the service, the simulator, the client and PostgreSQL share this machine's cores: say how busy it was
            System.out.printf("  this JVM (service and client) used %.2f cores while creating; the service %.2f while"
                    + " pushing; load average %.1f and %.1f after them%n%n", createCores, pushCores,
                    loadAfterCreates, loadAfterPush);
            String name = "AccountPushBenchmark";
            BenchmarkFigures.record(name, "REST durable creates per second (%d connections)".formatted(CLIENTS),
                    createRate, "/s", ">= 2,000 /s", createRate >= 2_000);
            BenchmarkFigures.record(name, "push, %d workers, 20 ms Ministra latency".formatted(WORKERS),
                    parallelRate, "/s");
            BenchmarkFigures.record(name, "push: share of the bound %.0f /s".formatted(BOUND),
                    100 * parallelRate / BOUND, "%", ">= 90 %", parallelRate >= 0.9 * BOUND);
            BenchmarkFigures.record(name, "push: multiple of one at a time (%.1f /s)".formatted(sequentialRate),
                    parallelRate / sequentialRate, "x", ">= 10 x", parallelRate / sequentialRate >= 10);
            BenchmarkFigures.record(name, "service CPU per push (simulator in its own JVM)", cpuMillisPerPush, "ms",
                    "<= 0.6 ms", cpuMillisPerPush <= 0.6);
            BenchmarkFigures.record(name, "simulator CPU per push", simulatorCpuMillisPerPush, "ms");
        }
    }

    private static Map<String, String> pushing(int workers) {
        return Map.of("mm.accounts.push.workers", String.valueOf(workers),
                "mm.accounts.push.rate-per-second", "100000", "mm.accounts.push.poll-interval-ms", "20",
                "mm.db.pool-size", "24");
    }

    /** Stops the poller that claims pushes (as an operator could over JMX); pushes already claimed finish. */
    private static void holdPushes(ServiceUnderTest node) throws Exception {
        node.camel().getRouteController().stopRoute("account-push-poll");
    }

    private static void releasePushes(ServiceUnderTest node) throws Exception {
        node.camel().getRouteController().startRoute("account-push-poll");
    }

    /**
     * Stores accounts through the REST API: 16 keep-alive connections, one request in flight on each, from a lean
     * client (one Vert.x event loop), so that the load generator takes little of the cores the service runs on.
     * Answers creates per second; every answer must be 201.
     */
    private static double createAccounts(ServiceUnderTest api, long company, String prefix, int count)
            throws Exception {
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                            .setTcpNoDelay(true).setDefaultHost("127.0.0.1").setDefaultPort(api.api("/").getPort()),
                    new PoolOptions().setHttp1MaxSize(CLIENTS));
            AtomicInteger issued = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            long started = System.nanoTime();
            List<Future<Void>> loops = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Promise<Void> done = Promise.promise();
                loops.add(done.future());
                createNext(client, company, prefix, count, issued, failures, done);
            }
            Future.all(loops).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(failures.get()).as("creates not answered 201").isZero();
            return count / seconds;
        } finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static void createNext(HttpClient client, long company, String prefix, int count, AtomicInteger issued,
                                   AtomicInteger failures, Promise<Void> done) {
        int i = issued.getAndIncrement();
        if (i >= count) {
            done.tryComplete();
            return;
        }
        String body = """
                {"login":"%s%d","password":"pw-%d","fullName":"Subscriber %d","tariff":"basic"}"""
                .formatted(prefix, i, i, i);
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/accounts?company=" + company)
                        .putHeader("Authorization", "Bearer " + ADMIN).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body).compose(response -> response.body().map(answer -> {
                    if (response.statusCode() != 201) {
                        failures.incrementAndGet();
                    }
                    return answer;
                })))
                .onComplete(answer -> {
                    if (answer.failed()) {
                        failures.incrementAndGet();
                    }
                    createNext(client, company, prefix, count, issued, failures, done);
                });
    }

    /**
     * Waits until no push is pending. One connection for the whole wait, and a question the claim index answers at
     * once: the watching must not take the CPU the pushes need.
     */
    private static void awaitPushed(Connection watch) throws Exception {
        long started = System.nanoTime();
        while (anyPending(watch)) {
            Thread.sleep(20);
            if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                throw new AssertionError("pushes did not finish");
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int ministraAccounts(SimulatorProcess ministra) throws Exception {
        return new ObjectMapper().readTree(ministra.control("GET", "accounts", null)).size();
    }

    private static boolean anyPending(Connection connection) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery(
                "SELECT EXISTS (SELECT 1 FROM account_push WHERE state IN ('pending', 'retrying'))")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }
}
