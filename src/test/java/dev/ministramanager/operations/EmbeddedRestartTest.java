package dev.ministramanager.operations;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default restarted on its data directory: the simulator still has the accounts our database says are
 * synced, a reconciliation finds nothing amiss, and work goes on; a fresh data directory starts both fresh.
 */
class EmbeddedRestartTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final int ACCOUNTS = 5;

    @Test
    void afterARestartOurDatabaseAndTheSimulatorStillAgree(@TempDir Path data) throws Exception {
        int simulatorPort = ServiceUnderTest.freePort();
        Map<String, String> embedded = embeddedDefault(data, simulatorPort);
        // the service runs on the H2 file under the data directory; the test database only lends its user
        try (TestDatabase h2User = TestDatabase.h2()) {
            long demo;
            try (ServiceUnderTest first = ServiceUnderTest.start(h2User, embedded)) {
                demo = demoCompany(first);
                awaitPlans(first, demo);
                for (int i = 1; i <= ACCOUNTS; i++) {
                    ApiAnswer provisioned = first.post("/provision?company=" + demo + "&wait=20", ADMIN, """
                            {"login":"kept%d","fullName":"Kept %d","tariff":"%s"}"""
                            .formatted(i, i, i % 2 == 0 ? "premium" : "basic"));
                    assertThat(provisioned.status()).as(provisioned.toString()).isIn(200, 201);
                }
                for (int i = 1; i <= ACCOUNTS; i++) {
                    awaitSynced(first, demo, "kept" + i);
                }
            }

            try (ServiceUnderTest second = ServiceUnderTest.start(h2User, embedded)) {
                JsonNode ministra = simulatorAccounts(second, simulatorPort);
                for (int i = 1; i <= ACCOUNTS; i++) {
                    JsonNode ours = second.get("/accounts/kept" + i + "?company=" + demo, ADMIN).json();
                    assertThat(ours.path("sync").path("state").asText()).isEqualTo("synced");
                    JsonNode theirs = row(ministra, "kept" + i);
                    assertThat(theirs).as("kept%d in the restarted simulator", i).isNotNull();
                    assertThat(theirs.path("full_name").asText()).isEqualTo(ours.path("fullName").asText());
                    assertThat(theirs.path("tariff_plan").asText()).isEqualTo(ours.path("tariff").asText());
                }
                ApiAnswer run = second.post("/reconciliation/runs?company=" + demo, ADMIN, "{}");
                assertThat(run.status()).as(run.toString()).isIn(200, 201, 202);
                awaitReconciliationDone(data);
                assertThat(count(data, "SELECT COUNT(*) FROM reconciliation_run WHERE status = 'completed'"
                        + " AND accounts = " + ACCOUNTS)).as("a completed run over our accounts").isOne();
                assertThat(count(data, "SELECT COUNT(*) FROM reconciliation_finding WHERE kind IN ('drift',"
                        + " 'missing_in_ministra')")).as("accounts Ministra lacks or holds otherwise").isZero();

                // and work goes on: a change after the restart is an update of the row Ministra kept
                assertThat(second.patch("/accounts/kept1?company=" + demo, ADMIN, "{\"fullName\":\"Changed\"}")
                        .status()).isEqualTo(200);
                awaitSynced(second, demo, "kept1");
                assertThat(row(simulatorAccounts(second, simulatorPort), "kept1").path("full_name").asText())
                        .isEqualTo("Changed");
                assertThat(simulatorAccounts(second, simulatorPort).size())
                        .as("the demo boxes and our accounts, nothing twice").isEqualTo(3 + ACCOUNTS);
            }
        }
    }

    @Test
    void aFreshDataDirectoryStartsAFreshSimulator(@TempDir Path data, @TempDir Path otherData) throws Exception {
        int simulatorPort = ServiceUnderTest.freePort();
        // the service runs on the H2 file under the data directory; the test database only lends its user
        try (TestDatabase h2User = TestDatabase.h2()) {
            try (ServiceUnderTest first = ServiceUnderTest.start(h2User, embeddedDefault(data, simulatorPort))) {
                long demo = demoCompany(first);
                awaitPlans(first, demo);
                assertThat(first.post("/provision?company=" + demo + "&wait=20", ADMIN, """
                        {"login":"old","tariff":"basic"}""").status()).isIn(200, 201);
                awaitSynced(first, demo, "old");
            }
            try (ServiceUnderTest fresh = ServiceUnderTest.start(h2User, embeddedDefault(otherData, simulatorPort))) {
                JsonNode ministra = simulatorAccounts(fresh, simulatorPort);
                assertThat(ministra.size()).as("only the demo boxes").isEqualTo(3);
                assertThat(row(ministra, "old")).isNull();
                assertThat(fresh.get("/accounts/old?company=" + demoCompany(fresh), ADMIN).status()).isEqualTo(404);
            }
        }
    }

    /** As README's first command runs it: H2 file and simulator state under one data directory. */
    private static Map<String, String> embeddedDefault(Path data, int simulatorPort) {
        Map<String, String> properties = new HashMap<>();
        properties.put("mm.db.url", h2Url(data));
        properties.put("mm.simulator.enabled", "true");
        properties.put("mm.sim.port", String.valueOf(simulatorPort));
        properties.put("mm.sim.state-dir", data.resolve("simulator").toString());
        properties.put("mm.accounts.push.poll-interval-ms", "50");
        return properties;
    }

    private static String h2Url(Path data) {
        return "jdbc:h2:file:" + data.resolve("ministra-manager").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private static long demoCompany(ServiceUnderTest service) {
        JsonNode companies = service.get("/companies", ADMIN).json();
        assertThat(companies).hasSize(1);
        assertThat(companies.get(0).path("name").asText()).isEqualTo("Demo ISP");
        return companies.get(0).path("id").asLong();
    }

    private static void awaitPlans(ServiceUnderTest service, long demo) {
        eventually("the demo company's plans synced",
                () -> service.get("/tariffs?company=" + demo, ADMIN).json().size() >= 2);
    }

    private static void awaitSynced(ServiceUnderTest service, long demo, String login) {
        eventually(login + " synced", () -> service.get("/accounts/" + login + "?company=" + demo, ADMIN).json(),
                account -> account.path("sync").path("state").asText().equals("synced"));
    }

    private static void awaitReconciliationDone(Path data) {
        eventually("the reconciliation finished",
                () -> count(data, "SELECT COUNT(*) FROM reconciliation_run WHERE finished_at IS NULL") == 0);
    }

    private static JsonNode simulatorAccounts(ServiceUnderTest service, int simulatorPort) {
        ApiAnswer answer = service.send(service.request(
                URI.create("http://127.0.0.1:" + simulatorPort + "/_sim/accounts"), null).GET());
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode row(JsonNode rows, String login) {
        for (JsonNode row : rows) {
            if (login.equals(row.path("login").asText())) {
                return row;
            }
        }
        return null;
    }

    private static long count(Path data, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(h2Url(data), "sa", "");
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
