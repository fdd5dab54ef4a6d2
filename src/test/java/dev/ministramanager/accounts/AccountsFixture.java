package dev.ministramanager.accounts;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/** Shared steps of the accounts tests: a company on the simulator, its tariff plans, waiting for a sync state. */
final class AccountsFixture {

    static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    private AccountsFixture() {
    }

    /** Short delays so that retries, pauses and leases play out within a test; production keeps the defaults. */
    static Map<String, String> fastPushes(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>();
        properties.put("mm.accounts.push.poll-interval-ms", "50");
        properties.put("mm.accounts.push.retry-initial-delay-ms", "100");
        properties.put("mm.accounts.push.retry-max-delay-ms", "400");
        properties.put("mm.accounts.push.max-attempts", "5");
        properties.put("mm.accounts.push.auth-pause-seconds", "2");
        properties.put("mm.accounts.push.lease-seconds", "10");
        properties.put("mm.accounts.push.circuit-probe-interval-ms", "200");
        properties.put("mm.db.pool-size", "10");
        properties.putAll(more);
        return properties;
    }

    static long createCompany(ServiceUnderTest service, MinistraSimulator ministra, String name) {
        return ServiceFixture.company(service, name, ministra.apiBaseUrl(), "\"readTimeoutMs\":5000");
    }

    static void seedPlans(TestDatabase database, long companyId) throws SQLException {
        ServiceFixture.seedPlans(database, companyId);
    }

    /** The single number a query answers, e.g. a COUNT(*). */
    static long count(TestDatabase database, String query) throws SQLException {
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static JsonNode awaitState(ServiceUnderTest service, long companyId, String login, String state) {
        return await(service, companyId, login, account -> account.path("sync").path("state").asText().equals(state),
                "sync state " + state);
    }

    static JsonNode await(ServiceUnderTest service, long companyId, String login, Predicate<JsonNode> condition,
                          String what) {
        return eventually("account " + login + " to reach " + what, () -> {
            ApiAnswer answer = service.get("/accounts/" + login + "?company=" + companyId, ADMIN);
            return answer.status() == 200 ? answer.json() : null;
        }, account -> account != null && condition.test(account));
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
        eventually(what, condition::getAsBoolean);
    }

    static Optional<Map<String, Object>> ministraAccount(MinistraSimulator ministra, String login) {
        return ministra.accountsSnapshot().stream().filter(row -> login.equalsIgnoreCase((String) row.get("login")))
                .findFirst();
    }

    static List<Map<String, Object>> ministraAccounts(MinistraSimulator ministra) {
        return ministra.accountsSnapshot();
    }
}
