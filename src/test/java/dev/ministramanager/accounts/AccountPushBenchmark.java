package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 new accounts pushed to the simulator with 20 ms latency by 16 workers, against the bound of 16 / 20 ms =
 * 800 pushes per second and against a one-at-a-time push; and the rate at which the REST API stores durable creates.
 * Measured after a warm-up of 2,000 creates and pushes (not counted).
 * Run: {@code ./mvnw -Pbenchmark test -Dtest=AccountPushBenchmark}
 */
@Tag("benchmark")
@ExtendWith(SimulatorExtension.class)
class AccountPushBenchmark {

    private static final int ACCOUNTS = 10_000;
    private static final int WARM_UP = 2_000;
    private static final int SEQUENTIAL_SAMPLE = 500;
    private static final int WORKERS = 16;
    private static final int CLIENTS = 16;
    private static final double BOUND = WORKERS / 0.020;

    @Test
    void pushThroughput(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            Map<String, String> storeOnly = Map.of("mm.accounts.push.enabled", "false", "mm.db.pool-size", "20");
            long company;
            try (ServiceUnderTest api = ServiceUnderTest.start(database, storeOnly)) {
                company = AccountsFixture.createCompany(api, ministra, "Benchmark ISP");
                AccountsFixture.seedPlans(database, company);
            }
            ministra.faults().add(Fault.latency(Duration.ofMillis(20), Duration.ZERO));

            // warm-up, not measured: the JIT compiles the create and push paths (in a short run its compiling
            // would otherwise take a third of the CPU, a cost a long-running service pays once)
            try (ServiceUnderTest api = ServiceUnderTest.start(database, storeOnly)) {
                createAccounts(api, company, "warm", WARM_UP);
            }
            pushAll(database, company, WORKERS, WARM_UP);

            double createRate;
            try (ServiceUnderTest api = ServiceUnderTest.start(database, storeOnly)) {
                createRate = createAccounts(api, company, "load", ACCOUNTS);
            }
            double parallelRate = pushAll(database, company, WORKERS, ACCOUNTS);
            assertThat(ministra.accountsSnapshot()).hasSize(WARM_UP + ACCOUNTS);

            try (ServiceUnderTest api = ServiceUnderTest.start(database, storeOnly)) {
                createAccounts(api, company, "seq", SEQUENTIAL_SAMPLE);
            }
            double sequentialRate = pushAll(database, company, 1, SEQUENTIAL_SAMPLE);
            assertThat(ministra.accountsSnapshot()).hasSize(WARM_UP + ACCOUNTS + SEQUENTIAL_SAMPLE);

            System.out.printf("%nAccountPushBenchmark (20 ms Ministra latency, %d workers, PostgreSQL, %d cores;"
                            + " after a warm-up of %,d creates and pushes)%n",
                    WORKERS, Runtime.getRuntime().availableProcessors(), WARM_UP);
            System.out.printf("  REST durable creates:        %,8.0f /s  (goal >= 1,000 /s, %d client threads, %,d"
                    + " accounts)%n", createRate, CLIENTS, ACCOUNTS);
            System.out.printf("  push, %2d workers:            %,8.0f /s  = %.0f%% of the bound %.0f /s (goal >= 90%%,"
                    + " %,d accounts)%n", WORKERS, parallelRate, 100 * parallelRate / BOUND, BOUND, ACCOUNTS);
            System.out.printf("  push, one at a time:         %,8.1f /s  (%d accounts)%n", sequentialRate,
                    SEQUENTIAL_SAMPLE);
            System.out.printf("  speed-up over one at a time: %8.1f x  (goal >= 10 x)%n%n",
                    parallelRate / sequentialRate);
        }
    }

    /** Stores accounts through the REST API with concurrent clients; answers creates per second. */
    private static double createAccounts(ServiceUnderTest api, long company, String prefix, int count)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    int status = api.post("/accounts?company=" + company, ADMIN, """
                            {"login":"%s%d","password":"pw-%d","fullName":"Subscriber %d","tariff":"basic"}"""
                            .formatted(prefix, i, i, i)).status();
                    if (status != 201) {
                        throw new IllegalStateException("create answered " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : done) {
            client.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        return count / seconds;
    }

    /** Starts a node with this many workers on the stored accounts and answers pushes per second until all synced. */
    private static double pushAll(TestDatabase database, long company, int workers, int expected) throws Exception {
        Map<String, String> pushing = Map.of("mm.accounts.push.workers", String.valueOf(workers),
                "mm.accounts.push.rate-per-second", "100000", "mm.accounts.push.poll-interval-ms", "20",
                "mm.db.pool-size", "24");
        try (ServiceUnderTest node = ServiceUnderTest.start(database, pushing)) {
            long started = System.nanoTime();
            while (pending(database) > 0) {
                Thread.sleep(20);
                if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                    throw new AssertionError("pushes did not finish");
                }
            }
            return expected / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static long pending(TestDatabase database) throws Exception {
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM account_push WHERE state <> 'synced'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
