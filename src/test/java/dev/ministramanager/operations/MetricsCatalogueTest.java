package dev.ministramanager.operations;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric README names is scraped from the embedded default from the moment it is ready, at zero where nothing
 * happened yet, and counts what then happens (the Demo ISP's first tariff sync).
 */
class MetricsCatalogueTest {

    private static final Pattern METRIC_NAME = Pattern.compile("\\bmm_[a-z0-9_]+\\b");

    @Test
    void everyMetricReadmeListsIsPresentFromStartUp(@TempDir Path simulatorState) throws Exception {
        Set<String> documented = new TreeSet<>();
        String readme = Files.readString(Path.of("README.md"));
        int metrics = readme.indexOf("- **Metrics**:");
        assertThat(metrics).as("README's Operations list the metrics").isPositive();
        Matcher names = METRIC_NAME.matcher(readme.substring(metrics, readme.indexOf("\n- **", metrics + 1)));
        while (names.find()) {
            documented.add(names.group());
        }
        assertThat(documented).contains("mm_tariffs_sync_runs_total", "mm_accounts_pushes_total",
                "mm_retention_deleted_rows_total");

        int simulatorPort = ServiceUnderTest.freePort();
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.simulator.enabled", "true",
                     "mm.sim.port", String.valueOf(simulatorPort), "mm.sim.state-dir", simulatorState.toString()))) {
            String scraped = metrics(service);
            assertThat(documented).allSatisfy(name -> assertThat(scraped)
                    .as("README names " + name + " but /observe/metrics has no such series")
                    .containsPattern("(?m)^" + name + "[{ ]"));

            long demo = service.get("/companies", ServiceUnderTest.ADMIN_TOKEN).json().get(0).get("id").asLong();
            JsonNode runs = eventually("the demo company's first tariff sync finished",
                    () -> service.get("/tariffs/sync-runs?company=" + demo, ServiceUnderTest.ADMIN_TOKEN).json(),
                    listed -> listed.size() > 0 && !listed.get(0).get("outcome").asText().equals("running"));
            assertThat(runs).hasSize(1);
            JsonNode first = runs.get(0);
            String series = "mm_tariffs_sync_runs_total{company=\"" + demo + "\",outcome=\""
                    + first.get("outcome").asText() + "\",trigger=\"" + first.get("trigger").asText() + "\"} 1.0";
            assertThat(metrics(service)).contains(series);
        }
    }

    private static String metrics(ServiceUnderTest service) {
        ApiAnswer answer = service.send(service.request(service.management("/observe/metrics"), null).GET());
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }
}
