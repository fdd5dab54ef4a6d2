package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /provision?wait=} holds no thread while it waits: many waits against a slow Ministra leave the API
 * free, and a wait ends when the push settles, whichever node recorded it, or when its time runs out.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class ProvisionWaitsTest {

    private static final int WAITS = 200;
    /** Long enough for 200 provisions to be stored on a loaded machine before the first wait runs out. */
    private static final int WAIT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long company;

    @BeforeAll
    static void start(MinistraSimulator ministra) throws Exception {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, AccountsFixture.fastPushes(Map.of()));
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"Waiting ISP","ministraBaseUrl":"%s","sharedMinistra":true,"ministraUser":"ministra",
                 "ministraPassword":"ministra-secret","readTimeoutMs":60000}""".formatted(ministra.apiBaseUrl()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        company = created.json().get("id").asLong();
        AccountsFixture.seedPlans(database, company);
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @AfterEach
    void healthyMinistra(MinistraSimulator ministra) {
        ministra.faults().clear();
    }

    @Test
    void readsStayFastWhileManyWaitsArePending(MinistraSimulator ministra) throws Exception {
        // Ministra takes longer than the waits: every wait runs out (202), none is completed by a push
        ministra.faults().add(Fault.latency(Duration.ofSeconds(45), Duration.ZERO));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < WAITS; i++) {
            waits.add(client.sendAsync(post("/provision?wait=" + WAIT_SECONDS + "&company=" + company,
                    "{\"login\":\"waiting-" + i + "\"}"), HttpResponse.BodyHandlers.ofString()));
        }
        AccountsFixture.awaitCondition(() -> count("SELECT COUNT(*) FROM account WHERE login LIKE 'waiting-%'")
                == WAITS, WAITS + " provisions stored");
        assertThat(waits).noneMatch(CompletableFuture::isDone);

        long before = System.nanoTime();
        ApiAnswer companies = service.get("/companies", ADMIN);
        long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertThat(companies.status()).isEqualTo(200);
        // generous for a loaded machine; a worker thread per wait held this read until the waits ran out (30 s)
        assertThat(readMillis).as("GET /companies with %d waits pending", WAITS).isLessThan(3_000);
        ApiAnswer account = service.get("/accounts/waiting-0?company=" + company, ADMIN);
        assertThat(account.status()).isEqualTo(200);

        for (CompletableFuture<HttpResponse<String>> wait : waits) {
            HttpResponse<String> answer = wait.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("sync").path("state").asText()).isIn("pending", "retrying");
            assertThat(body.has("generatedPassword")).isTrue();
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isGreaterThanOrEqualTo(WAIT_SECONDS);
    }

    @Test
    void aWaitEndsWhenAnotherNodeRecordsThePush() throws Exception {
        service.camel().getRouteController().stopRoute("account-push-poll");
        try {
            HttpClient client = HttpClient.newHttpClient();
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> wait = client.sendAsync(post("/provision?wait=20&company="
                    + company, "{\"login\":\"elsewhere\"}"), HttpResponse.BodyHandlers.ofString());
            AccountsFixture.awaitCondition(() -> count("SELECT COUNT(*) FROM account WHERE login = 'elsewhere'") == 1,
                    "the provision stored");
            assertThat(wait).isNotDone();
            // what another node's push records: this node's push workers are stopped
            try (Connection connection = database.connect();
                 PreparedStatement synced = connection.prepareStatement("UPDATE account_push SET state = 'synced',"
                         + " pushed_version = requested_version WHERE account_id = (SELECT id FROM account"
                         + " WHERE login = 'elsewhere')")) {
                assertThat(synced.executeUpdate()).isEqualTo(1);
            }
            HttpResponse<String> answer = wait.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(JSON.readTree(answer.body()).path("sync").path("state").asText()).isEqualTo("synced");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
        } finally {
            service.camel().getRouteController().startRoute("account-push-poll");
        }
    }

    @Test
    void aWaitEndsWhenThisNodeRecordsThePush(MinistraSimulator ministra) {
        long started = System.nanoTime();
        ApiAnswer provisioned = service.post("/provision?wait=20&company=" + company, ADMIN, """
                {"login":"at-once","tariff":"premium"}""");
        assertThat(provisioned.status()).as(provisioned.toString()).isEqualTo(201);
        assertThat(provisioned.json().path("sync").path("state").asText()).isEqualTo("synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "at-once")).isPresent();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
    }

    private static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(service.api(path).toString())).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static long count(String query) {
        try {
            return AccountsFixture.count(database, query);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
