package dev.ministramanager.operations;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command: the service starts the simulator, brings demo boxes online and a Demo ISP points at it. */
class EmbeddedSimulatorTest {

    @Test
    void theEmbeddedDefaultStartsItsOwnMinistraAndACompanyOnIt(@TempDir Path data) {
        int simulatorPort = ServiceUnderTest.freePort();
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.simulator.enabled", "true",
                     "mm.sim.port", String.valueOf(simulatorPort), "mm.sim.state-dir", data.toString()))) {
            JsonNode companies = service.get("/companies", ServiceUnderTest.ADMIN_TOKEN).json();
            assertThat(companies).hasSize(1);
            assertThat(companies.get(0).get("name").asText()).isEqualTo("Demo ISP");
            assertThat(companies.get(0).get("ministraBaseUrl").asText())
                    .isEqualTo("http://127.0.0.1:" + simulatorPort + "/stalker_portal/api/v1/");

            ApiAnswer connection = service.post("/companies/" + companies.get(0).get("id").asLong()
                    + "/test-connection", ServiceUnderTest.ADMIN_TOKEN, null);
            assertThat(connection.json().get("outcome").asText()).isEqualTo("ok");

            long demo = companies.get(0).get("id").asLong();
            JsonNode plans = eventually("the demo company's plans synced",
                    () -> service.get("/tariffs?company=" + demo, ServiceUnderTest.ADMIN_TOKEN).json(),
                    listed -> listed.size() >= 2);
            assertThat(plans.toString()).contains("basic").contains("premium");

            ApiAnswer boxes = service.send(service.request(
                    URI.create("http://127.0.0.1:" + simulatorPort + "/_sim/accounts"), null).GET());
            assertThat(boxes.status()).isEqualTo(200);
            assertThat(boxes.body()).contains("00:1A:79:DE:00:01");
        }
    }
}
