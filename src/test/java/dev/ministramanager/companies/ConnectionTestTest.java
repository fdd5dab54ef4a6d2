package dev.ministramanager.companies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import dev.ministramanager.testsupport.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /companies/{id}/test-connection} against the simulator over HTTP, one outcome per Ministra answer. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class ConnectionTestTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static TestDatabase database;
    private static ServiceUnderTest service;

    @BeforeAll
    static void start() {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, Map.of());
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @Test
    void okWithTheSimulatorsCredentials(MinistraSimulator ministra) {
        JsonNode answer = testConnection(company("Right credentials", ministra.apiBaseUrl(), "ministra-secret"));
        assertThat(answer.get("outcome").asText()).isEqualTo("ok");
        assertThat(answer.get("detail").asText()).contains("2 tariff plan(s)");
        assertThat(answer.get("latencyMs").asLong()).isBetween(0L, 5_000L);
    }

    @Test
    void authenticationFailedWithAWrongPassword(MinistraSimulator ministra) {
        JsonNode answer = testConnection(company("Wrong password", ministra.apiBaseUrl(), "not-the-password"));
        assertThat(answer.get("outcome").asText()).isEqualTo("authentication_failed");
    }

    @Test
    void unreachableWhenNothingListensOrTheAnswerIsTooSlow(MinistraSimulator ministra) {
        int closedPort = ServiceUnderTest.freePort();
        JsonNode refused = testConnection(company("Nobody home", "http://127.0.0.1:" + closedPort, "x"));
        assertThat(refused.get("outcome").asText()).isEqualTo("unreachable");

        long slow = company("Slow Ministra", ministra.apiBaseUrl(), "ministra-secret");
        assertThat(service.patch("/companies/" + slow, ADMIN, "{\"readTimeoutMs\":300}").status()).isEqualTo(200);
        ministra.faults().add(Fault.slowResponse(Duration.ofSeconds(2)).forResource("tariffs").times(1));
        JsonNode timedOut = testConnection(slow);
        assertThat(timedOut.get("outcome").asText()).isEqualTo("unreachable");
        assertThat(timedOut.get("detail").asText()).contains("in time");
    }

    @Test
    void notMinistraForGarbageAndServerErrorForA503(MinistraSimulator ministra) {
        long id = company("Garbage answers", ministra.apiBaseUrl(), "ministra-secret");
        ministra.faults().add(Fault.phpWarning().forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("not_ministra");
        ministra.faults().add(Fault.emptyBody().forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("not_ministra");
        ministra.faults().add(Fault.httpError(503).forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("server_error");
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("ok");

        long notAnApi = company("Not an API", ministra.baseUrl() + "/_sim/accounts", "ministra-secret");
        assertThat(testConnection(notAnApi).get("outcome").asText()).isEqualTo("not_ministra");
    }

    private static long company(String name, String baseUrl, String password) {
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"%s","ministraBaseUrl":"%s","ministraUser":"ministra","ministraPassword":"%s",
                 "connectTimeoutMs":1000,"readTimeoutMs":3000}""".formatted(name, baseUrl, password));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static JsonNode testConnection(long companyId) {
        ApiAnswer answer = service.post("/companies/" + companyId + "/test-connection", ADMIN, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }
}
