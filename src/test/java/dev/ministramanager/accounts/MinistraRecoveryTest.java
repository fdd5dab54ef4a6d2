package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static dev.ministramanager.testsupport.Eventually.eventually;
import static dev.ministramanager.testsupport.Eventually.pause;
import static dev.ministramanager.testsupport.Eventually.throughout;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery after a Ministra outage, on PostgreSQL and H2: the company's circuit opens, its pushes wait without
 * spending attempts (no dead letter however long the outage), the account and the company say so, and when Ministra
 * answers again all waiting pushes converge at once, each account created exactly once.
 */
@ExtendWith(SimulatorExtension.class)
class MinistraRecoveryTest {

    private static final int ACCOUNTS = 2_000;
    /** Far above the seconds convergence takes on an idle machine; only a hang or a lost push reaches it. */
    private static final Duration CONVERGENCE_PATIENCE = Duration.ofMinutes(5);

    @BeforeEach
    void clean(MinistraSimulator ministra) {
        ministra.reset();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void twoThousandWaitingPushesConvergeWithinSecondsAfterAnOutage(String databaseKind, MinistraSimulator ministra)
            throws Exception {
        try (TestDatabase database = database(databaseKind);
             ServiceUnderTest service = ServiceUnderTest.start(database, AccountsFixture.fastPushes(Map.of(
                     // without the circuit, three attempts at 100 to 400 ms would dead-letter every push in a second
                     "mm.accounts.push.max-attempts", "3",
                     "mm.accounts.push.rate-per-second", "500",
                     "mm.accounts.push.circuit-probe-interval-ms", "500")))) {
            long company = AccountsFixture.createCompany(service, ministra, "Recovery ISP");
            AccountsFixture.seedPlans(database, company);
            ministra.faults().add(Fault.outage(Duration.ofMinutes(10)));

            createAccounts(service, company);
            AccountsFixture.awaitCondition(() -> !ministraOf(service, company).path("reachable").asBoolean(),
                    "the company's circuit open");
            AccountsFixture.awaitCondition(() -> waitingPushes(database, company) == ACCOUNTS,
                    "every push waiting, none in flight");

            JsonNode ministraState = ministraOf(service, company);
            assertThat(ministraState.path("failingSince").isNull()).isFalse();
            assertThat(ministraState.path("nextProbeAt").isNull()).isFalse();
            assertThat(ministraState.path("lastFailureKind").asText()).isEqualTo("unreachable");
            // the gauge reads the shared state once a second
            AccountsFixture.awaitCondition(() -> metrics(service).contains(
                    "mm_ministra_reachable{company=\"" + company + "\"} 0.0"), "the gauge at 0");
            JsonNode waiting = service.get("/accounts/r1?company=" + company, ADMIN).json().path("sync");
            assertThat(waiting.path("explanation").asText())
                    .startsWith("waiting for Ministra of company Recovery ISP (" + company + "), failing since ");
            assertThat(waiting.path("waitingForMinistra").path("nextProbeAt").isNull()).isFalse();
            assertThat(waiting.has("nextAttemptAt")).isFalse();

            // an outage many times longer than three attempts' backoff (100 to 400 ms): nothing is spent while the
            // circuit is open
            throughout("no push dead-lettered or spent while the circuit is open", Duration.ofSeconds(3),
                    () -> AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter") == 0
                            && AccountsFixture.count(database, "SELECT MAX(attempts) FROM account_push") < 3);
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter")).isZero();
            assertThat(AccountsFixture.count(database, "SELECT MAX(attempts) FROM account_push")).isLessThan(3);
            assertThat(ministra.accountsSnapshot()).isEmpty();

            long ended = System.nanoTime();
            ministra.faults().clear();
            // bounded by the outcome, not by the wall clock (a loaded machine is slow, not wrong): every push
            // synced, none dead-lettered, each account created once (below); the time is printed, not asserted
            eventually("all " + ACCOUNTS + " pushes synced", CONVERGENCE_PATIENCE,
                    () -> syncedPushes(database, company), synced -> synced == ACCOUNTS);
            Duration converged = Duration.ofNanos(System.nanoTime() - ended);
            System.out.printf("%s: %d pushes converged %d ms after the outage ended (load average %s)%n",
                    databaseKind, ACCOUNTS, converged.toMillis(), loadAverage());
            assertThat(syncedPushes(database, company)).isEqualTo(ACCOUNTS);

            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter")).isZero();
            assertThat(ministra.accountsSnapshot()).hasSize(ACCOUNTS);
            Map<String, Long> createsPerLogin = ministra.writeLog().stream()
                    .filter(entry -> entry.isFor("POST", "accounts")).filter(WriteLogEntry::reachedApplication)
                    .collect(Collectors.groupingBy(entry -> entry.field("login"), Collectors.counting()));
            assertThat(createsPerLogin).hasSize(ACCOUNTS);
            assertThat(createsPerLogin.values()).as("each account created once").containsOnly(1L);
            assertThat(ministra.writeLog()).allMatch(WriteLogEntry::succeeded);

            JsonNode recovered = ministraOf(service, company);
            assertThat(recovered.path("reachable").asBoolean()).isTrue();
            assertThat(recovered.path("failingSince").isNull()).isTrue();
            assertThat(recovered.path("recoveredAt").isNull()).isFalse();
            AccountsFixture.awaitCondition(() -> metrics(service).contains(
                    "mm_ministra_reachable{company=\"" + company + "\"} 1.0"), "the gauge back at 1");
        }
    }

    /**
     * Two nodes share one circuit: both hold back, one probe per interval between them, both push once it closes;
     * the failure here is a 503 for every request (the other test's is a refused connection).
     */
    @org.junit.jupiter.api.Test
    void twoNodesShareTheCircuitAndItsProbe(MinistraSimulator ministra) throws Exception {
        Map<String, String> settings = Map.of("mm.accounts.push.max-attempts", "3",
                "mm.accounts.push.circuit-probe-interval-ms", "500", "mm.accounts.push.workers", "4");
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest first = ServiceUnderTest.start(database, AccountsFixture.fastPushes(settings));
             ServiceUnderTest second = ServiceUnderTest.start(database, AccountsFixture.fastPushes(settings))) {
            long company = AccountsFixture.createCompany(first, ministra, "Shared Circuit ISP");
            AccountsFixture.seedPlans(database, company);
            // Ministra's web server up but PHP failing: every request answered 503 (and counted, unlike refused ones)
            ministra.faults().add(Fault.httpError(503));
            int accounts = 200;
            for (int i = 1; i <= accounts; i++) {
                ServiceUnderTest node = i % 2 == 0 ? first : second;
                assertThat(node.post("/accounts?company=" + company, ADMIN,
                        "{\"login\":\"s" + i + "\",\"tariff\":\"basic\"}").status()).isEqualTo(201);
            }
            AccountsFixture.awaitCondition(() -> !ministraOf(second, company).path("reachable").asBoolean(),
                    "the circuit open, as both nodes see it");

            long probesBefore = ministra.requestCount("GET", "tariffs");
            // a rate, so a window of wall-clock time: the service's probe interval runs on its own clock
            pause(3_000);
            long probes = ministra.requestCount("GET", "tariffs") - probesBefore;
            // one probe every 500 ms between the two nodes: about 6 in 3 s (each node probing would make about 12)
            assertThat(probes).as("probes in 3 s").isBetween(4L, 8L);
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter")).isZero();

            ministra.faults().clear();
            AccountsFixture.awaitCondition(() -> query(database, "SELECT COUNT(*) FROM account_push WHERE company_id = "
                    + company + " AND state = 'synced'") == accounts, "every push synced");
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter")).isZero();
            Map<String, Long> createsPerLogin = ministra.writeLog().stream()
                    .filter(entry -> entry.isFor("POST", "accounts")).filter(WriteLogEntry::reachedApplication)
                    .collect(Collectors.groupingBy(entry -> entry.field("login"), Collectors.counting()));
            assertThat(createsPerLogin).hasSize(accounts);
            assertThat(createsPerLogin.values()).containsOnly(1L);
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM audit_event WHERE action ="
                    + " 'ministra-reachable' AND company_id = " + company)).as("closed once").isOne();
        }
    }

    /**
     * The pause after a 401 is in the database: changed credentials end it at once on every node. On PostgreSQL the
     * change is made on a node that runs no pushes and the pushing node resumes; H2 (embedded, one node) on one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void aCompanyPausedByA401ResumesAsSoonAsItsCredentialsChange(String databaseKind, MinistraSimulator ministra)
            throws Exception {
        boolean twoNodes = databaseKind.equals("postgresql");
        Map<String, String> longPause = Map.of("mm.accounts.push.auth-pause-seconds", "600");
        try (TestDatabase database = database(databaseKind);
             ServiceUnderTest pushing = ServiceUnderTest.start(database, AccountsFixture.fastPushes(longPause));
             ServiceUnderTest operator = twoNodes ? ServiceUnderTest.start(database, AccountsFixture.fastPushes(
                     Map.of("mm.accounts.push.enabled", "false"))) : null) {
            ServiceUnderTest changing = twoNodes ? operator : pushing;
            ApiAnswer created = changing.post("/companies", ADMIN, """
                    {"name":"Rotated ISP","ministraBaseUrl":"%s","ministraUser":"ministra",
                     "ministraPassword":"rotated-away","readTimeoutMs":5000}""".formatted(ministra.apiBaseUrl()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long company = created.json().get("id").asLong();
            AccountsFixture.seedPlans(database, company);

            assertThat(changing.post("/accounts?company=" + company, ADMIN, """
                    {"login":"paula","tariff":"basic"}""").status()).isEqualTo(201);
            // (a 401 within seconds of the company's creation or change retries first: it may be the old credentials)
            AccountsFixture.awaitCondition(() -> query(database, "SELECT COUNT(*) FROM push_pause WHERE company_id = "
                    + company) == 1, "the company paused by the 401");
            assertThat(pushing.get("/accounts/paula?company=" + company, ADMIN).json().path("sync")
                    .path("lastErrorKind").asText()).isEqualTo("authentication_failed");
            assertThat(AccountsFixture.ministraAccount(ministra, "paula")).isEmpty();

            long changed = System.nanoTime();
            ApiAnswer patched = changing.patch("/companies/" + company, ADMIN,
                    "{\"ministraPassword\":\"ministra-secret\"}");
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            AccountsFixture.awaitState(pushing, company, "paula", "synced");
            Duration resumed = Duration.ofNanos(System.nanoTime() - changed);

            // the credentials ended the pause, not its expiry: it had most of its 600 s to run
            assertThat(resumed).as("resumed long before the 600 s pause ends").isLessThan(Duration.ofSeconds(300));
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM push_pause")).isZero();
            assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM audit_event WHERE action = 'push-resumed'"
                    + " AND company_id = " + company)).isOne();
            assertThat(AccountsFixture.ministraAccount(ministra, "paula")).isPresent();
            assertThat(ministra.writeLog().stream().filter(entry -> entry.isFor("POST", "accounts"))
                    .filter(WriteLogEntry::succeeded)).hasSize(1);
        }
    }

    private static String loadAverage() {
        return String.format(java.util.Locale.ROOT, "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static TestDatabase database(String kind) {
        return kind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
    }

    private static void createAccounts(ServiceUnderTest service, long company) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> created = new ArrayList<>();
            for (int i = 1; i <= ACCOUNTS; i++) {
                String body = "{\"login\":\"r" + i + "\",\"tariff\":\"basic\"}";
                created.add(clients.submit(() -> service.post("/accounts?company=" + company, ADMIN, body).status()));
            }
            for (Future<Integer> status : created) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    static JsonNode ministraOf(ServiceUnderTest service, long company) {
        ApiAnswer answer = service.get("/companies/" + company, ADMIN);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().path("ministra");
    }

    static String metrics(ServiceUnderTest service) {
        return service.send(service.request(service.management("/observe/metrics"), null).GET()).body();
    }

    private static long waitingPushes(TestDatabase database, long company) {
        return query(database, "SELECT COUNT(*) FROM account_push WHERE company_id = " + company
                + " AND state IN ('pending', 'retrying') AND lease_until IS NULL");
    }

    private static long syncedPushes(TestDatabase database, long company) {
        return query(database, "SELECT COUNT(*) FROM account_push WHERE company_id = " + company
                + " AND state = 'synced'");
    }

    private static long query(TestDatabase database, String sql) {
        try {
            return AccountsFixture.count(database, sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
