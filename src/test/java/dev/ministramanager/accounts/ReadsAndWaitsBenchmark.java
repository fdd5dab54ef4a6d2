package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads beside Ministra's own, and reads while waits are pending, with one load generator ({@code wrk}, 8 keep-alive
 * connections): our {@code GET /accounts/{login}} (bearer token, PostgreSQL) against the simulator's
 * {@code GET users/<login>} (a pure in-memory Vert.x answer) in the same run, our rate as a share of it, and the
 * ceiling of any read that asks PostgreSQL (the read's statement alone, from {@value #CONNECTIONS} JDBC threads in
 * this JVM, no HTTP: evidence, no goal); then
 * {@code GET /companies} while 500 {@code provision?wait=30} calls are outstanding against a Ministra that takes a
 * minute per request. Between the two, the latency of {@code GET /accounts} search and list pages over 100,000
 * accounts of the company, with {@value #PAGE_CONNECTIONS} connections (an operator's console and a billing system).
 * Run: {@code ./mvnw -B -Pbenchmark verify -Dtest=ReadsAndWaitsBenchmark} (or {@code #reads}, {@code #pagesAndWaits}
 * for one half)
 */
@Tag("benchmark")
@ExtendWith(SimulatorExtension.class)
class ReadsAndWaitsBenchmark {

    private static final String NAME = "ReadsAndWaitsBenchmark";
    private static final int CONNECTIONS = 8;
    private static final int PAGE_CONNECTIONS = 2;
    private static final int ACCOUNTS = 100_000;
    private static final int WAITS = 500;
    private static final int WAIT_SECONDS = 30;
    private static final int CEILING_SECONDS = 10;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
    private static final Map<String, String> NODE_SETTINGS = Map.of("mm.db.pool-size", "24",
            // the fleet refresh of the 100,000 accounts (FleetRefreshBenchmark's subject) would run beside the
            // measured pages after two minutes
            "mm.status.refresh-enabled", "false");

    /** Our read beside the simulator's, and PostgreSQL alone: {@code -Dtest=ReadsAndWaitsBenchmark#reads}. */
    @Test
    void reads(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); Connection watch = database.connect();
             ServiceUnderTest node = ServiceUnderTest.start(database, NODE_SETTINGS)) {
            long company = companyWithReader(node, ministra, database, watch);
            String ours = node.api("/accounts/reader?company=" + company).toString();
            String bearer = "Authorization: Bearer " + ADMIN;
            String theirs = ministra.apiBaseUrl() + "users/reader";
            String basic = "Authorization: Basic " + Base64.getEncoder()
                    .encodeToString("ministra:ministra-secret".getBytes(StandardCharsets.UTF_8));

            // warm-up, not measured: the JIT compiles both read paths
            wrk(ours, bearer, 8, CONNECTIONS);
            wrk(theirs, basic, 4, CONNECTIONS);
            // this JVM's CPU while only our reads run (the simulator idle): the service's, PostgreSQL's not counted
            long cpuBefore = processCpuNanos();
            Load our = wrk(ours, bearer, 10, CONNECTIONS);
            double cpuMicrosPerRead = (processCpuNanos() - cpuBefore) / 1e3 / (our.perSecond() * 10);
            Load their = wrk(theirs, basic, 10, CONNECTIONS);
            double share = our.perSecond() / their.perSecond();
            double alone = postgresAlone(database, company, "reader");
            System.out.printf(Locale.ROOT, "%n%s (PostgreSQL, %d cores, wrk with %d keep-alive connections)%n", NAME,
                    Runtime.getRuntime().availableProcessors(), CONNECTIONS);
            System.out.printf(Locale.ROOT, "  GET /accounts/{login}:  %,8.0f /s, p99 %.2f ms%n", our.perSecond(),
                    our.p99Millis());
            System.out.printf(Locale.ROOT, "  simulator GET users/<login>: %,8.0f /s, p99 %.2f ms%n",
                    their.perSecond(), their.p99Millis());
            System.out.printf(Locale.ROOT, "  PostgreSQL alone, the read's statement from %d JDBC threads: %,8.0f /s"
                    + " (ours %.1f%% of it, the simulator's %.1f%%)%n", CONNECTIONS, alone,
                    100 * our.perSecond() / alone, 100 * their.perSecond() / alone);
            // A read that asks PostgreSQL and answers over HTTP costs at least the statement's share of the machine
            // (PostgreSQL alone) plus a minimal HTTP answer's (the simulator's): both measured here with the cores to
            // themselves, their costs add up, so no such read can exceed alone * sim / (alone + sim) per second, and
            // its share of the simulator's rate cannot exceed alone / (alone + sim), however little it does besides
            double ceiling = alone / (alone + their.perSecond());
            System.out.printf(Locale.ROOT, "  the most any read asking PostgreSQL could reach here: %,8.0f /s, %.1f%% of"
                    + " the simulator's (ours is %.0f%% of that)%n", ceiling * their.perSecond(), 100 * ceiling,
                    100 * share / ceiling);
            System.out.printf(Locale.ROOT, "  service CPU per GET /accounts/{login}: %.0f us%n", cpuMicrosPerRead);
            BenchmarkFigures.record(NAME, "GET /accounts/{login} rate, 8 connections", our.perSecond(), "/s",
                    ">= 5000", our.perSecond() >= 5000);
            BenchmarkFigures.record(NAME, "GET /accounts/{login} p99, 8 connections", our.p99Millis(), "ms",
                    "<= 10", our.p99Millis() <= 10);
            BenchmarkFigures.record(NAME, "simulator GET users/<login> rate, 8 connections", their.perSecond(), "/s");
            BenchmarkFigures.record(NAME, "service CPU per GET /accounts/{login} (PostgreSQL's not counted)",
                    cpuMicrosPerRead, "us");
            BenchmarkFigures.record(NAME, "GET /accounts/{login} rate as a share of the simulator's", 100 * share,
                    "%", ">= 30", share >= 0.30);
            BenchmarkFigures.record(NAME, "PostgreSQL alone: the read's statement from 8 JDBC threads in the"
                    + " benchmark JVM", alone, "/s");
            BenchmarkFigures.record(NAME, "GET /accounts/{login} rate as a share of PostgreSQL alone",
                    100 * our.perSecond() / alone, "%");
            BenchmarkFigures.record(NAME, "the share of the simulator's rate that a read asking PostgreSQL could"
                    + " reach at most (PostgreSQL alone and the simulator alone, their costs added)", 100 * ceiling,
                    "%");
        }
    }

    /**
     * Pages over 100,000 accounts, and {@code GET /companies} while provisions wait:
     * {@code -Dtest=ReadsAndWaitsBenchmark#pagesAndWaits}.
     */
    @Test
    void pagesAndWaits(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); Connection watch = database.connect();
             ServiceUnderTest node = ServiceUnderTest.start(database, NODE_SETTINGS)) {
            long company = companyWithReader(node, ministra, database, watch);
            String bearer = "Authorization: Bearer " + ADMIN;
            seedAccounts(watch, company);
            pages(node, company, bearer);
            // Ministra takes a minute per request: every provision waits its full 30 s
            ministra.faults().add(Fault.latency(Duration.ofSeconds(60), Duration.ZERO));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
            for (int i = 0; i < WAITS; i++) {
                waits.add(client.sendAsync(HttpRequest.newBuilder(URI.create(node.api("/provision?wait="
                                + WAIT_SECONDS + "&company=" + company).toString()))
                        .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"waiting-" + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // on a busy machine storing them takes a while: measure once all are stored, or after 20 s at most
            // (the figure says how many were still outstanding)
            long storing = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (count(database, "SELECT COUNT(*) FROM account WHERE login LIKE 'waiting-%'") < WAITS
                    && System.nanoTime() < storing) {
                Thread.sleep(100);
            }
            long outstanding = waits.stream().filter(wait -> !wait.isDone()).count();
            Load beside = wrk(node.api("/companies").toString(), bearer, 8, CONNECTIONS);
            long stillOutstanding = waits.stream().filter(wait -> !wait.isDone()).count();
            System.out.printf(Locale.ROOT, "  GET /companies with %d then %d provision waits outstanding: %,8.0f /s,"
                    + " p99 %.2f ms%n", outstanding, stillOutstanding, beside.perSecond(), beside.p99Millis());
            BenchmarkFigures.record(NAME, "provision?wait=30 outstanding while GET /companies was measured",
                    stillOutstanding, "requests");
            BenchmarkFigures.record(NAME, "GET /companies p99 with 500 provision?wait=30 outstanding",
                    beside.p99Millis(), "ms", "<= 10", beside.p99Millis() <= 10);
            BenchmarkFigures.record(NAME, "GET /companies rate with 500 provision?wait=30 outstanding",
                    beside.perSecond(), "/s");
            for (CompletableFuture<HttpResponse<String>> wait : waits) {
                assertThat(wait.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            }
            ministra.faults().clear();
        }
    }

    /** A company on the simulator with its plans and one provisioned account, {@code reader}; fresh statistics. */
    private static long companyWithReader(ServiceUnderTest node, MinistraSimulator ministra, TestDatabase database,
                                          Connection watch) throws Exception {
        long company = AccountsFixture.createCompany(node, ministra, "Reading ISP");
        AccountsFixture.seedPlans(database, company);
        ApiAnswer reader = node.post("/provision?wait=20&company=" + company, ADMIN, """
                {"login":"reader","fullName":"Read Often","tariff":"premium"}""");
        assertThat(reader.status()).as(reader.toString()).isEqualTo(201);
        watch.createStatement().execute("ANALYZE");
        return company;
    }

    private record Load(double perSecond, double p99Millis) {
    }

    /**
     * Search and list pages of 50 over the company's 100,000 accounts (and the one read above), each measured for 5 s
     * after a warm-up: p99 against the goal of 20 ms.
     */
    private static void pages(ServiceUnderTest node, long company, String bearer) throws Exception {
        String page = "/accounts?company=" + company + "&limit=50";
        String later = node.get("/accounts?company=" + company + "&limit=500", ADMIN).json().get("nextCursor")
                .asText();
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("list, first page", page);
        queries.put("list, a later page (cursor)", page + "&cursor=" + later);
        queries.put("list, status=inactive", page + "&status=inactive");
        queries.put("search by login (q=bench4242)", page + "&q=bench4242");
        queries.put("search by name (q=smith)", page + "&q=smith");
        queries.put("search by MAC (q=00:1A:79:01:86)", page + "&q=00:1A:79:01:86");
        queries.put("search, no match (q=nobody)", page + "&q=nobody");
        for (String path : queries.values()) {
            wrk(node.api(path).toString(), bearer, 2, PAGE_CONNECTIONS);
        }
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Load load = wrk(node.api(query.getValue()).toString(), bearer, 5, PAGE_CONNECTIONS);
            System.out.printf(Locale.ROOT, "  GET /accounts %-34s %,7.0f /s, p99 %6.2f ms (%,d accounts)%n",
                    query.getKey(), load.perSecond(), load.p99Millis(), ACCOUNTS);
            BenchmarkFigures.record(NAME, "GET /accounts %s p99, %d connections, %,d accounts".formatted(
                    query.getKey(), PAGE_CONNECTIONS, ACCOUNTS), load.p99Millis(), "ms", "<= 20",
                    load.p99Millis() <= 20);
        }
    }

    /**
     * The company's accounts up to 100,000, synced: logins bench1…, every 100th named Smith, every 10th inactive,
     * MACs 00:1A:79 and the index in hex; then fresh statistics.
     */
    private static void seedAccounts(Connection connection, long company) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO account (company_id, login, login_key, full_name, account_number,"
                    + " account_number_key, status, stb_mac) SELECT " + company + ", 'bench' || i, 'bench' || i,"
                    + " (CASE WHEN i % 100 = 0 THEN 'Ann Smith ' ELSE 'Subscriber ' END) || i, 'bench' || i,"
                    + " 'bench' || i, CASE WHEN i % 10 = 0 THEN 'inactive' ELSE 'active' END, UPPER('00:1a:79:'"
                    + " || SUBSTRING(h, 1, 2) || ':' || SUBSTRING(h, 3, 2) || ':' || SUBSTRING(h, 5, 2))"
                    + " FROM (SELECT i, LPAD(TO_HEX(i), 6, '0') AS h FROM generate_series(1, " + (ACCOUNTS - 1)
                    + ") AS s(i)) AS numbers");
            sql.execute("INSERT INTO account_push (account_id, company_id, state, requested_version, pushed_version,"
                    + " pushed_password_version, attempts, next_attempt_at) SELECT id, company_id, 'synced', 1, 1, 0,"
                    + " 0, CURRENT_TIMESTAMP FROM account a WHERE company_id = " + company + " AND NOT EXISTS"
                    + " (SELECT 1 FROM account_push p WHERE p.account_id = a.id)");
            sql.execute("ANALYZE");
        }
    }

    /**
     * The ceiling of any read that asks PostgreSQL once: {@code sql/accounts-by-login.sql} for this login, prepared
     * once per connection and run back to back from {@value #CONNECTIONS} threads with a connection each (no pool, no
     * HTTP, the row's columns not read) for {@value #CEILING_SECONDS} s after a warm-up of 2 s; executions per second.
     */
    private static double postgresAlone(TestDatabase database, long company, String login) throws Exception {
        String statement = SqlStatements.load("accounts-by-login");
        LongAdder executed = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            readers.add(threads.submit(() -> {
                try (Connection connection = database.connect();
                     PreparedStatement read = connection.prepareStatement(statement)) {
                    read.setLong(1, company);
                    read.setString(2, AccountRules.key(login));
                    while (running.get()) {
                        try (ResultSet row = read.executeQuery()) {
                            assertThat(row.next()).isTrue();
                        }
                        if (counting.get()) {
                            executed.increment();
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(2_000);
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(CEILING_SECONDS));
        counting.set(false);
        double perSecond = executed.sum() / ((System.nanoTime() - start) / 1e9);
        running.set(false);
        for (Future<?> reader : readers) {
            reader.get();
        }
        threads.shutdown();
        return perSecond;
    }

    /** {@code wrk} for {@code seconds} on one URL with this many connections on 2 threads; its rate and p99. */
    private static Load wrk(String url, String header, int seconds, int connections)
            throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-H", header, url).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor()).as(output).isZero();
        assertThat(output).as(output).doesNotContain("Non-2xx");
        Matcher rate = RATE.matcher(output);
        Matcher p99 = P99.matcher(output);
        assertThat(rate.find() && p99.find()).as(output).isTrue();
        double value = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
        return new Load(Double.parseDouble(rate.group(1)), millis);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long count(TestDatabase database, String query) {
        try {
            return AccountsFixture.count(database, query);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
