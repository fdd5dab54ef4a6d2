package dev.ministramanager.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboarding at 100,000 rows, on PostgreSQL: a simulator (in a child JVM, so that its rows do not count against the
 * service's heap) holding 100,000 accounts adopted, and a 100,000-row CSV export validated and stored (the push
 * pipeline is off on this node: the figure is the import's, not Ministra's). Wall time of each job and the
 * service's peak heap. Run with
 * {@code ./mvnw -B -Pbenchmark test -Dtest=ImportBenchmark -Dsurefire.argLine=-Xmx256m}.
 */
@Tag("benchmark")
class ImportBenchmark {

    private static final String NAME = "ImportBenchmark";
    private static final int ROWS = 100_000;
    private static final long GOAL_MILLIS = 60_000;
    private static final long HEAP_GOAL_BYTES = 256L << 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void onboardingOf100kRows() throws Exception {
        int simPort = ServiceUnderTest.freePort();
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.ministramanager.simulator.SimulatorMain")
                .redirectErrorStream(true).redirectOutput(new File("target/benchmark-import-simulator.log"));
        launch.environment().put("MM_SIM_PORT", String.valueOf(simPort));
        launch.environment().put("MM_SIM_API_USER", "ministra");
        launch.environment().put("MM_SIM_API_PASSWORD", "ministra-secret");
        Process simulator = launch.start();
        try (TestDatabase database = TestDatabase.postgres()) {
            String simBase = "http://127.0.0.1:" + simPort;
            awaitSimulator(simulator, simBase);
            control(simBase, "/_sim/accounts/bulk", "{\"count\":" + ROWS + ",\"prefix\":\"bench\"}");
            try (ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.status.refresh-enabled",
                    "false", "mm.accounts.push.enabled", "false", "mm.imports.csv-max-bytes", "52428800"))) {
                ImportFixture fixture = new ImportFixture(service, database);
                long fromMinistra = fixture.company("Adopting ISP", simBase + "/stalker_portal/api/v1/");
                long fromBilling = fixture.company("Billing ISP", simBase + "/stalker_portal/api/v1/");
                System.out.printf(Locale.ROOT, "%nImport benchmark: %,d rows, heap limit of this JVM %,d MB,"
                        + " %d CPUs%n", ROWS, Runtime.getRuntime().maxMemory() >> 20,
                        Runtime.getRuntime().availableProcessors());

                JsonNode adopted = measured(fixture, "Ministra adoption", () -> service.post("/companies/"
                        + fromMinistra + "/imports/ministra", ServiceUnderTest.ADMIN_TOKEN, null));
                assertThat(adopted.get("progress").get("adopted").asLong()).isEqualTo(ROWS);

                StringBuilder csv = new StringBuilder(ROWS * 80).append("login;fullName;phone;tariff;status;stbMac;"
                        + "customerRef\n");
                for (int i = 1; i <= ROWS; i++) {
                    csv.append("billing").append(i).append(";Subscriber ").append(i).append(";+3706").append(i)
                            .append(";basic;active;").append(String.format(Locale.ROOT, "02:%02X:%02X:%02X:00:01",
                                    (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)).append(";C-").append(i)
                            .append('\n');
                }
                String file = csv.toString();
                System.out.printf(Locale.ROOT, "  CSV export: %,d bytes%n", file.getBytes(StandardCharsets.UTF_8)
                        .length);
                JsonNode created = measured(fixture, "CSV import", () -> fixture.postCsv(fromBilling, file, false,
                        ServiceUnderTest.ADMIN_TOKEN));
                assertThat(created.get("progress").get("created").asLong()).isEqualTo(ROWS);
            }
        } finally {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode measured(ImportFixture fixture, String label, java.util.function.Supplier<ApiAnswer> start) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        ApiAnswer started = start.get();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode job = fixture.finished(started.json().get("id").asLong(), Duration.ofMinutes(20));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long millis = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toMillis();
        System.out.printf(Locale.ROOT, "  %-20s %s%n", label, job.get("progress"));
        BenchmarkFigures.record(NAME, label + ": 100,000 rows, wall time", millis / 1000.0, "s", "<= 60 s",
                millis <= GOAL_MILLIS);
        BenchmarkFigures.record(NAME, label + ": heap peak", peak >> 20, "MB", "<= 256 MB",
                peak <= HEAP_GOAL_BYTES);
        return job;
    }

    private static void awaitSimulator(Process simulator, String simBase) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(simulator.isAlive()).as("simulator process (see target/benchmark-import-simulator.log)")
                    .isTrue();
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(simBase + "/_sim")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the simulator did not start");
    }

    private static void control(String simBase, String path, String json) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(simBase + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
    }
}
