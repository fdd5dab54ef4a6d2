package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route level, on H2 only: the push route's dead-letter decisions (route configuration {@code ministra-push} →
 * {@code direct:account-push-failed}). The real YAML routes run; advice by step id makes the step before
 * {@code account-push-ministra-call} fail the way Ministra can fail, a given number of times, and adds a last step
 * to {@code account-push-failed} that reads the push row as the decision left it. NotifyBuilder waits for the failed
 * pushes (exchanges of route {@code account-push}); the assertions are on the rows.
 */
@ExtendWith(SimulatorExtension.class)
class PushDeadLetterRoutesTest {

    private static final int MAX_ATTEMPTS = 3;
    private static final AtomicReference<MinistraFailure> FAILURE = new AtomicReference<>();
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    /** The push row as each decision of the dead-letter channel left it, in order. */
    private static final List<Map<String, Object>> DECISIONS = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(AccountsFixture.fastPushes(Map.of(
            "mm.accounts.push.max-attempts", String.valueOf(MAX_ATTEMPTS),
            "mm.accounts.push.auth-pause-seconds", "600",
            // these tests look at one push at a time: the circuit (failures in a row per company) stays closed
            "mm.accounts.push.circuit-failure-threshold", "100")));
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static int companies;
    private MinistraSimulator ministra;

    @BeforeAll
    static void advise() throws Exception {
        database = FLOW.database();
        service = FLOW.service();
        AdviceWith.adviceWith(service.camel(), "account-push", route -> route.weaveById("account-push-ministra-call")
                .before().process(PushDeadLetterRoutesTest::failWhileFailuresLeft));
        AdviceWith.adviceWith(service.camel(), "account-push-failed", route -> route.weaveAddLast()
                .process(exchange -> DECISIONS.add(pushRow(exchange.getMessage().getBody(PushClaim.class)
                        .accountId()))));
    }

    @BeforeEach
    void fresh(MinistraSimulator simulator) {
        ministra = simulator;
        FAILURES_LEFT.set(0);
        DECISIONS.clear();
    }

    @Test
    void aTransientFailureIsRetriedOnTheDurableSchedule() throws Exception {
        long company = company();
        failNext(1, new MinistraFailure(MinistraFailure.Kind.SERVER_ERROR, "HTTP 503", null, null));

        push(company, "transient1", 1);

        assertThat(DECISIONS).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("state", "retrying").containsEntry("attempts", 1)
                    .containsEntry("last_error_kind", "server_error");
            assertThat(row.get("next_attempt_at")).isNotNull();
        });
        AccountsFixture.awaitState(service, company, "transient1", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "transient1")).isPresent();
        assertThat(deadLetters(company)).isZero();
    }

    @Test
    void transientFailuresAreDeadLetteredWhenTheAttemptsRunOut() throws Exception {
        long company = company();
        failNext(MAX_ATTEMPTS, new MinistraFailure(MinistraFailure.Kind.UNREACHABLE, "connection refused", null,
                null));

        push(company, "exhausted1", MAX_ATTEMPTS);

        assertThat(DECISIONS).extracting(row -> row.get("state") + "/" + row.get("attempts"))
                .containsExactly("retrying/1", "retrying/2", "dead/" + MAX_ATTEMPTS);
        assertThat(deadLetters(company)).isOne();
        assertThat(AccountsFixture.ministraAccount(ministra, "exhausted1")).isEmpty();
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnce() throws Exception {
        long company = company();
        failNext(1, new MinistraFailure(MinistraFailure.Kind.REJECTED, "Ministra said ERROR", "Login already used",
                null));

        push(company, "rejected1", 1);

        assertThat(DECISIONS).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "dead")
                .containsEntry("attempts", 1).containsEntry("last_error_kind", "rejected"));
        assertThat(deadLetters(company)).isOne();
    }

    @Test
    void aGuardrailRefusalIsDeadLetteredAtOnce() throws Exception {
        long company = company();
        failNext(1, MinistraFailure.guardrail("would write every row"));

        push(company, "guarded1", 1);

        assertThat(DECISIONS).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "dead")
                .containsEntry("last_error_kind", "refused_by_guardrail"));
        assertThat(deadLetters(company)).isOne();
    }

    @Test
    void a401PausesTheCompanyInsteadOfSpendingAttempts() throws Exception {
        long company = company();
        update("UPDATE company SET updated_at = TIMESTAMP '2020-01-01 00:00:00' WHERE id = ?", company);
        failNext(1, new MinistraFailure(MinistraFailure.Kind.AUTHENTICATION_FAILED, "HTTP 401", null, null));

        push(company, "paused1", 1);

        assertThat(DECISIONS).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "retrying")
                .containsEntry("attempts", 0).containsEntry("last_error_kind", "authentication_failed"));
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM push_pause WHERE company_id = " + company))
                .isOne();
        assertThat(deadLetters(company)).isZero();
    }

    @Test
    void a401JustAfterTheCredentialsChangedIsRetriedShortlyNotPaused() throws Exception {
        long company = company();
        // "just changed" however slowly the test runs: the change is dated a minute ahead
        update("UPDATE company SET updated_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id = ?", company);
        failNext(1, new MinistraFailure(MinistraFailure.Kind.AUTHENTICATION_FAILED, "HTTP 401", null, null));

        push(company, "settling1", 1);

        assertThat(DECISIONS).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "retrying")
                .containsEntry("last_error_kind", "authentication_failed"));
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM push_pause WHERE company_id = " + company))
                .isZero();
        AccountsFixture.awaitState(service, company, "settling1", "synced");
    }

    private static void failWhileFailuresLeft(Exchange exchange) {
        if (FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw FAILURE.get();
        }
    }

    private static void failNext(int times, MinistraFailure failure) {
        FAILURE.set(failure);
        FAILURES_LEFT.set(times);
    }

    /**
     * Creates the account through the API and waits until this many pushes have failed and the dead-letter channel
     * (which runs within the failed exchange, before it is done) has decided each.
     */
    private static void push(long company, String login, int decisions) {
        NotifyBuilder decided = new NotifyBuilder(service.camel()).fromRoute("account-push")
                .whenDone(decisions).create();
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"%s","tariff":"basic"}""".formatted(login)).status()).isEqualTo(201);
        assertThat(decided.matches(30, TimeUnit.SECONDS)).as(decisions + " pushes of " + login).isTrue();
        assertThat(DECISIONS).as("decisions for " + login).hasSize(decisions);
    }

    private long company() throws SQLException {
        long company = AccountsFixture.createCompany(service, ministra, "Route ISP " + ++companies);
        FLOW.seedPlans(company);
        return company;
    }

    private static long deadLetters(long company) throws SQLException {
        return AccountsFixture.count(database, "SELECT COUNT(*) FROM dead_letter WHERE company_id = " + company);
    }

    private static void update(String sql, long id) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    private static Map<String, Object> pushRow(long accountId) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT state, attempts, last_error_kind, next_attempt_at FROM account_push WHERE account_id = ?")) {
            query.setLong(1, accountId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("push row of account " + accountId).isTrue();
                Map<String, Object> columns = new HashMap<>();
                columns.put("state", row.getString("state"));
                columns.put("attempts", row.getInt("attempts"));
                columns.put("last_error_kind", row.getString("last_error_kind"));
                columns.put("next_attempt_at", row.getObject("next_attempt_at"));
                return columns;
            }
        }
    }
}
