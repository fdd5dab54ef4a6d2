package dev.ministramanager.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The smoke set on H2 (the embedded default's database), and the operations endpoints. */
class EmbeddedDefaultTest {

    @Test
    void theServiceRunsOnH2WithHealthMetricsAndOpenApi() {
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of())) {
            ApiAnswer created = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                    {"name":"H2 ISP","ministraBaseUrl":"https://ministra.example.net/custom/api/","ministraUser":"u",
                     "ministraPassword":"p"}""");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("ministraBaseUrl").asText())
                    .isEqualTo("https://ministra.example.net/custom/api/");
            assertThat(service.get("/companies", ServiceUnderTest.ADMIN_TOKEN).json()).hasSize(1);
            JsonNode summary = service.get("/status/summary", ServiceUnderTest.ADMIN_TOKEN).json();
            assertThat(summary).isEmpty();

            ApiAnswer health = service.send(service.request(service.management("/observe/health"), null).GET());
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");

            ApiAnswer ready = service.send(service.request(service.management("/observe/health/ready?exposureLevel=full"), null).GET());
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("database");
            ApiAnswer live = service.send(service.request(service.management("/observe/health/live"), null).GET());
            assertThat(live.status()).isEqualTo(200);

            ApiAnswer metrics = service.send(service.request(service.management("/observe/metrics"), null).GET());
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("camel_exchanges_total").contains("routeId=\"companies-create\"");

            ApiAnswer openApi = service.get("/openapi.json", null);
            assertThat(openApi.status()).isEqualTo(200);
            // built on request, with a server URL relative to the document rather than the bind address
            assertThat(openApi.json().get("servers").get(0).get("url").asText()).isEqualTo("/api/v1");
            JsonNode paths = openApi.json().get("paths");
            assertThat(paths.has("/companies")).isTrue();
            // the role the verb declares, and any of the HTTP schemes (OpenApiContractTest checks the rest)
            assertThat(paths.get("/companies").get("post").get("x-required-role").asText()).isEqualTo("admin");
            assertThat(paths.get("/companies").get("post").get("security").get(0).has("bearer")).isTrue();
        }
    }

    @Test
    void theProductionProfileRefusesToStartWithoutASecretKey() {
        try (TestDatabase database = TestDatabase.h2()) {
            assertThatThrownBy(() -> ServiceUnderTest.start(database,
                    Map.of("camel.main.profile", "production", "mm.secret-key", "")))
                    .hasStackTraceContaining("mm.secret-key (MM_SECRET_KEY) is required");
        }
    }

    @Test
    @Timeout(60)
    void aDatabaseThatCannotBeOpenedStopsTheStartUp() {
        // the database opens beside the loading of the routes; its failure must still fail the start, not hang it
        try (TestDatabase database = TestDatabase.h2()) {
            assertThatThrownBy(() -> ServiceUnderTest.start(database,
                    Map.of("mm.db.url", "jdbc:postgresql://127.0.0.1:1/nothing-listens-here")))
                    .hasStackTraceContaining("Connection to 127.0.0.1:1 refused");
        }
    }
}
