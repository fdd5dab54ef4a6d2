package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static dev.ministramanager.testsupport.Eventually.throughout;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transient failures retried then converged, permanent ones dead-lettered and replayed, 401 pausing a company. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class AccountPushFailuresTest {

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(AccountsFixture.fastPushes(Map.of()))
            .withCompanies("Failures ISP");
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long company;

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        company = FLOW.company(0);
    }

    @BeforeEach
    void clean(MinistraSimulator ministra) {
        ministra.reset();
    }

    @Test
    void anOutageIsRetriedWithBackoffThenConverges(MinistraSimulator ministra) {
        ministra.faults().add(Fault.httpError(503).times(2));
        ministra.faults().add(Fault.emptyBody().forMethod("POST").times(1));
        // the empty body came after Ministra executed the create: the retry finds "Login already in use"
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"carol","fullName":"Carol","tariff":"premium"}""").status()).isEqualTo(201);

        JsonNode retrying = AccountsFixture.await(service, company, "carol",
                account -> account.path("sync").path("state").asText().equals("retrying"), "retrying");
        assertThat(retrying.path("sync").path("attempts").asInt()).isPositive();
        assertThat(retrying.path("sync").path("lastErrorKind").asText()).isIn("server_error", "garbled_answer");
        assertThat(retrying.path("sync").hasNonNull("nextAttemptAt")).isTrue();

        AccountsFixture.awaitState(service, company, "carol", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "carol").orElseThrow())
                .containsEntry("full_name", "Carol").containsEntry("tariff_plan", "premium");
        List<WriteLogEntry> creates = ministra.writeLog().stream().filter(w -> w.isFor("POST", "accounts"))
                .filter(WriteLogEntry::reachedApplication).toList();
        assertThat(creates).extracting(WriteLogEntry::result).containsExactly("OK", "ERROR");
        assertThat(creates.get(1).error()).isEqualTo("Login already in use");
        assertThat(ministra.accountsSnapshot()).hasSize(1);
    }

    @Test
    void aConnectionOutageIsRetriedUntilMinistraIsBack(MinistraSimulator ministra) {
        ministra.faults().add(Fault.outage(Duration.ofMillis(700)));
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"dave","tariff":"basic"}""").status()).isEqualTo(201);
        JsonNode retrying = AccountsFixture.await(service, company, "dave",
                account -> account.path("sync").path("state").asText().equals("retrying"), "retrying");
        assertThat(retrying.path("sync").path("lastErrorKind").asText()).isEqualTo("unreachable");
        AccountsFixture.awaitState(service, company, "dave", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "dave")).isPresent();
    }

    @Test
    void exhaustedRetriesAreDeadLettered(MinistraSimulator ministra) {
        // Ministra fails this account's writes but answers the circuit's probe (a read of the tariffs): every third
        // failure in a row opens the circuit (that one spends no attempt) until the probe closes it again, so the
        // fifth attempt is the seventh failure
        ministra.faults().add(Fault.httpError(500).forResource("accounts").times(7));
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"erin","tariff":"basic"}""").status()).isEqualTo(201);
        JsonNode dead = AccountsFixture.awaitState(service, company, "erin", "dead");
        assertThat(dead.path("sync").path("attempts").asInt()).isEqualTo(5);
        JsonNode letter = service.get("/dead-letters/" + dead.path("sync").path("deadLetterId").asLong(), ADMIN)
                .json();
        assertThat(letter.get("cause").asText()).isEqualTo("server_error");
        assertThat(letter.get("attempts").asInt()).isEqualTo(5);
        assertThat(service.post("/accounts/erin/push?company=" + company, ADMIN, null).status()).isEqualTo(202);
        AccountsFixture.awaitState(service, company, "erin", "synced");
        assertThat(service.get("/dead-letters/" + letter.get("id").asLong(), ADMIN).json().get("status").asText())
                .isEqualTo("replayed");
    }

    @Test
    void aPermanentErrorIsDeadLetteredAtOnceFixedReplayedAndConverged(MinistraSimulator ministra)
            throws Exception {
        ministra.loadAccounts(5, "foreign");
        String takenMac = (String) ministra.accountsSnapshot().get(4).get("stb_mac");
        ministra.clearWriteLog();
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"frank","password":"frank-secret-77","tariff":"basic","stbMac":"%s"}"""
                .formatted(takenMac)).status()).isEqualTo(201);

        JsonNode dead = AccountsFixture.awaitState(service, company, "frank", "dead");
        assertThat(dead.path("sync").path("attempts").asInt()).isEqualTo(1);
        long letterId = dead.path("sync").path("deadLetterId").asLong();
        assertThat(ministra.writeLog()).hasSize(1);

        JsonNode letters = service.get("/dead-letters?company=" + company + "&cause=rejected", ADMIN).json();
        assertThat(letters).hasSize(1);
        // the age filter: dead just now is older than 0 minutes, not older than an hour
        assertThat(service.get("/dead-letters?company=" + company + "&olderThanMinutes=0", ADMIN).json())
                .extracting(found -> found.get("id").asLong()).containsExactly(letterId);
        assertThat(service.get("/dead-letters?company=" + company + "&olderThanMinutes=60", ADMIN).json()).isEmpty();
        JsonNode letter = letters.get(0);
        assertThat(letter.get("id").asLong()).isEqualTo(letterId);
        assertThat(letter.get("login").asText()).isEqualTo("frank");
        assertThat(letter.get("operation").asText()).isEqualTo("create");
        assertThat(letter.get("ministraError").asText()).isEqualTo("MAC address already in use");
        assertThat(letter.get("request").get("form").get("password").asText()).isEqualTo("***");
        assertThat(letter.toString()).doesNotContain("frank-secret-77");
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery("SELECT payload FROM dead_letter")) {
            while (rows.next()) {
                assertThat(rows.getString(1)).doesNotContain("frank-secret-77");
            }
        }

        // the fix stays parked until an operator replays: the dead letter is the operator's decision
        assertThat(service.patch("/accounts/frank?company=" + company, ADMIN,
                "{\"stbMac\":\"00:1A:79:AA:BB:CC\"}").status()).isEqualTo(200);
        // six of the push poller's 50 ms polls: a push the change had scheduled would have left the dead state
        throughout("frank's change parked as dead", Duration.ofMillis(300), () -> service.get("/accounts/frank?company="
                + company, ADMIN).json().path("sync").path("state").asText().equals("dead"));
        assertThat(service.get("/accounts/frank?company=" + company, ADMIN).json().path("sync").path("state")
                .asText()).isEqualTo("dead");

        ApiAnswer replayed = service.post("/dead-letters/" + letterId + "/replay", ADMIN, null);
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
        assertThat(replayed.json().get("status").asText()).isEqualTo("replayed");
        AccountsFixture.awaitState(service, company, "frank", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "frank").orElseThrow())
                .containsEntry("stb_mac", "00:1A:79:AA:BB:CC");
        assertThat(service.post("/dead-letters/" + letterId + "/replay", ADMIN, null).status()).isEqualTo(409);

        JsonNode history = service.get("/accounts/frank/history?company=" + company, ADMIN).json();
        assertThat(history.findValuesAsText("action")).containsSubsequence("create", "dead-letter", "change",
                "replay", "push");
    }

    @Test
    void bulkReplayAndDiscard(MinistraSimulator ministra) {
        ministra.loadAccounts(3, "taken");
        for (int i = 1; i <= 3; i++) {
            String mac = (String) ministra.accountsSnapshot().get(i - 1).get("stb_mac");
            assertThat(service.post("/accounts?company=" + company, ADMIN, """
                    {"login":"bulk%d","stbMac":"%s"}""".formatted(i, mac)).status()).isEqualTo(201);
        }
        for (int i = 1; i <= 3; i++) {
            AccountsFixture.awaitState(service, company, "bulk" + i, "dead");
        }
        long discarded = service.get("/accounts/bulk3?company=" + company, ADMIN).json().path("sync")
                .path("deadLetterId").asLong();
        ApiAnswer discard = service.post("/dead-letters/" + discarded + "/discard", ADMIN, null);
        assertThat(discard.json().get("status").asText()).isEqualTo("discarded");
        assertThat(service.get("/accounts/bulk3?company=" + company, ADMIN).json().path("sync").path("state")
                .asText()).isEqualTo("discarded");

        for (int i = 1; i <= 2; i++) {
            assertThat(service.patch("/accounts/bulk" + i + "?company=" + company, ADMIN, "{\"stbMac\":\"\"}")
                    .status()).isEqualTo(200);
        }
        ApiAnswer bulk = service.post("/dead-letters/replay?company=" + company, ADMIN, "{\"cause\":\"rejected\"}");
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.json().get("replayed").asInt()).isEqualTo(2);
        assertThat(bulk.json().get("results")).allSatisfy(r -> assertThat(r.get("outcome").asText())
                .isEqualTo("replayed"));
        AccountsFixture.awaitState(service, company, "bulk1", "synced");
        AccountsFixture.awaitState(service, company, "bulk2", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "bulk3")).isEmpty();
    }

    @Test
    void ministraRefusingOurCredentialsPausesTheCompanyInsteadOfBurningRetries(MinistraSimulator ministra)
            throws Exception {
        // heidi's retry falls due within the pause that grace's 401 is about to start: it must wait for the pause
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"heidi","tariff":"basic","draft":true}""").status()).isEqualTo(201);
        try (Connection connection = database.connect();
             PreparedStatement retrying = connection.prepareStatement("UPDATE account_push SET state = 'retrying',"
                     + " next_attempt_at = ? WHERE account_id = (SELECT id FROM account WHERE login = 'heidi'"
                     + " AND company_id = " + company + ")")) {
            retrying.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofMillis(1500)));
            retrying.executeUpdate();
        }
        long fault = ministra.faults().add(Fault.unauthorized());
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"grace","tariff":"basic"}""").status()).isEqualTo(201);
        JsonNode paused = AccountsFixture.await(service, company, "grace",
                account -> account.path("sync").path("lastErrorKind").asText().equals("authentication_failed"),
                "paused");
        assertThat(paused.path("sync").path("state").asText()).isEqualTo("retrying");
        assertThat(paused.path("sync").path("attempts").asInt()).isZero();
        ApiAnswer metrics = service.send(service.request(service.management("/observe/metrics"), null).GET());
        assertThat(metrics.body()).contains("mm_accounts_push_paused_companies 1.0")
                .contains("mm_accounts_push_authentication_failures_total");
        // twenty of the push poller's 50 ms polls: a paused company's due pushes would have been claimed
        throughout("no write while the company is paused", Duration.ofSeconds(1),
                () -> ministra.writeLog().size() == 1);
        assertThat(ministra.writeLog()).hasSize(1);
        assertThat(duePushesBeforeThePauseEnds()).as("pushes of the paused company due before it ends").isZero();

        ministra.faults().remove(fault);
        AccountsFixture.awaitState(service, company, "grace", "synced");
        AccountsFixture.awaitState(service, company, "heidi", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "grace")).isPresent();
    }

    /** Pending or retrying pushes of the company due before its pause ends (the claim would read past each). */
    private static long duePushesBeforeThePauseEnds() {
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM account_push p"
                     + " JOIN push_pause z ON z.company_id = p.company_id WHERE p.company_id = " + company
                     + " AND p.state IN ('pending', 'retrying') AND p.next_attempt_at < z.paused_until")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
