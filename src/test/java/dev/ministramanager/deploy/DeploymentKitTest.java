package dev.ministramanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployment kit cannot drift from the service: every metric the Grafana dashboard and the Prometheus rules name
 * is scraped from a running instance, every health path the Dockerfile and the Kubernetes probes use answers, their
 * ports are the configured ones, the container runs as a non-root user, and the Compose file sets only documented
 * settings. (No image can be built here: there is no container engine and no registry.)
 */
class DeploymentKitTest {

    private static final Pattern METRIC = Pattern.compile("\\b(?:mm|camel)_[a-z0-9_]+\\b");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The embedded default: a company (the Demo ISP) exists, so its per-company series do too. */
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(Map.of("mm.simulator.enabled", "true",
            "mm.sim.port", String.valueOf(ServiceUnderTest.freePort()), "mm.sim.state-dir", ""));

    private static Properties defaults;

    @BeforeAll
    static void readDefaults() throws IOException {
        defaults = new Properties();
        defaults.load(new StringReader(Files.readString(Path.of("config/application.properties"))));
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsNameIsExported() throws IOException {
        Set<String> named = new TreeSet<>();
        JsonNode dashboard = JSON.readTree(Path.of("deploy/grafana/ministra-manager-dashboard.json").toFile());
        dashboard.findValues("expr").forEach(expr -> collect(named, expr.asText()));
        JsonNode alerts = YAML.readTree(Path.of("deploy/prometheus/alerts.yml").toFile());
        alerts.findValues("expr").forEach(expr -> collect(named, expr.asText()));
        assertThat(named).contains("mm_accounts_push_oldest_due_seconds", "mm_dead_letters_open",
                "mm_tariffs_sync_last_success_seconds", "mm_status_refresh_runs_total");

        String scraped = management("/observe/metrics").body();
        assertThat(named).allSatisfy(metric -> assertThat(scraped)
                .as("the deployment kit names " + metric + ", which the service does not export")
                .containsPattern("(?m)^" + metric + "[{ ]"));
    }

    @Test
    void theDockerfileRunsAsNonRootOnTheConfiguredPortsWithAWorkingHealthCheck() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        String user = instruction(lines, "USER");
        assertThat(user).isNotBlank().isNotIn("root", "0", "0:0");
        assertThat(instruction(lines, "FROM")).startsWith("eclipse-temurin:17-jre");
        assertThat(instruction(lines, "EXPOSE").split("\\s+")).containsExactlyInAnyOrder(
                defaults.getProperty("mm.http.port"), defaults.getProperty("mm.management.port"));
        String healthCheck = String.join("\n", lines.subList(index(lines, "HEALTHCHECK"), lines.size()));
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S*)").matcher(healthCheck);
        assertThat(url.find()).as("HEALTHCHECK calls the management port").isTrue();
        assertThat(url.group(1)).isEqualTo(defaults.getProperty("mm.management.port"));
        assertThat(management(url.group(2)).status()).isEqualTo(200);
    }

    @Test
    void theKubernetesManifestsProbeRealPathsOnTheConfiguredPorts() throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> each = YAML.readerFor(JsonNode.class)
                .readValues(Path.of("deploy/kubernetes/ministra-manager.yaml").toFile())) {
            each.forEachRemaining(documents::add);
        }
        JsonNode deployment = kind(documents, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.get("ports").findValuesAsText("containerPort")).containsExactlyInAnyOrder(
                defaults.getProperty("mm.http.port"), defaults.getProperty("mm.management.port"));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("management");
            assertThat(management(container.at("/" + probe + "/httpGet/path").asText()).status()).as(probe)
                    .isEqualTo(200);
        }
        assertThat(kind(documents, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(kind(documents, "Secret").get("stringData").fieldNames()).toIterable()
                .contains("MM_SECRET_KEY", "MM_DB_PASSWORD");
        assertThat(container.get("env").findValuesAsText("name")).allSatisfy(DeploymentKitTest::documented);
    }

    @Test
    void composeAndPrometheusUseDocumentedSettingsAndTheManagementPort() throws IOException {
        JsonNode compose = YAML.readTree(Path.of("deploy/compose/compose.yaml").toFile());
        assertThat(compose.get("services").fieldNames()).toIterable()
                .contains("postgres", "node-a", "node-b", "prometheus");
        compose.at("/services/node-a/environment").fieldNames()
                .forEachRemaining(DeploymentKitTest::documented);
        JsonNode prometheus = YAML.readTree(Path.of("deploy/prometheus/prometheus.yml").toFile());
        JsonNode job = prometheus.at("/scrape_configs/0");
        assertThat(job.get("metrics_path").asText()).isEqualTo("/observe/metrics");
        job.at("/static_configs/0/targets").forEach(target -> assertThat(target.asText())
                .endsWith(":" + defaults.getProperty("mm.management.port")));
    }

    @Test
    void theSystemdUnitIsHardenedAndReadsThePackagesEnvironmentFile() throws IOException {
        String unit = Files.readString(Path.of("src/dist/systemd/ministra-manager.service"));
        assertThat(unit).contains("User=ministra-manager", "Restart=on-failure", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ReadWritePaths=/var/lib/ministra-manager",
                "EnvironmentFile=/etc/ministra-manager/ministra-manager.env",
                "ExecStart=/usr/share/ministra-manager/bin/ministra-manager");
        assertThat(Files.readString(Path.of("src/dist/debian/postinst")))
                .contains("chmod 0600 /etc/ministra-manager/ministra-manager.env");
    }

    /** An environment variable the README's configuration table documents (or Camel Main's own name and profile). */
    private static void documented(String variable) {
        if (variable.equals("CAMEL_MAIN_NAME") || variable.equals("JAVA_OPTS")) {
            return;
        }
        try {
            assertThat(Files.readString(Path.of("README.md"))).as(variable + " is documented in README")
                    .contains("`" + variable + "`");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiAnswer management(String path) {
        ServiceUnderTest service = FLOW.service();
        return service.send(service.request(service.management(path), null).GET());
    }

    private static void collect(Set<String> names, String expression) {
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group());
        }
    }

    private static JsonNode kind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in the manifests"));
    }

    private static int index(List<String> lines, String instruction) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(instruction + " ")) {
                return i;
            }
        }
        throw new AssertionError("The Dockerfile has no " + instruction);
    }

    private static String instruction(List<String> lines, String instruction) {
        return lines.get(index(lines, instruction)).substring(instruction.length() + 1).trim();
    }
}
