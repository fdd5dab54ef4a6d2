package dev.ministramanager.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.SimulatorProcess;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboarding at 100,000 rows, on PostgreSQL: a simulator (in a child JVM, so that its rows do not count against the
 * service's heap) holding 100,000 accounts adopted, and a 100,000-row CSV export validated and stored (the push
 * pipeline is off on this node: the figure is the import's, not Ministra's). Wall time of each job and the
 * service's peak heap. Run with
 * {@code ./mvnw -B -Pbenchmark verify -Dtest=ImportBenchmark -Dsurefire.argLine=-Xmx256m}.
 */
@Tag("benchmark")
class ImportBenchmark {

    private static final String NAME = "ImportBenchmark";
    private static final int ROWS = 100_000;
    private static final long GOAL_MILLIS = 60_000;
    private static final long HEAP_GOAL_BYTES = 256L << 20;

    @Test
    void onboardingOf100kRows() throws Exception {
        try (SimulatorProcess simulator = SimulatorProcess.start(Path.of("target/benchmark-import-simulator.log"));
             TestDatabase database = TestDatabase.postgres()) {
            simulator.control("POST", "accounts/bulk", "{\"count\":" + ROWS + ",\"prefix\":\"bench\"}");
            try (ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.status.refresh-enabled",
                    "false", "mm.accounts.push.enabled", "false", "mm.imports.csv-max-bytes", "52428800"))) {
                ImportFixture fixture = new ImportFixture(service, database);
                long fromMinistra = fixture.company("Adopting ISP", simulator.apiBaseUrl());
                long fromBilling = fixture.company("Billing ISP", simulator.apiBaseUrl());
                System.out.printf(Locale.ROOT, "%nImport benchmark: %,d rows, heap limit of this JVM %,d MB,"
                        + " %d CPUs%n", ROWS, Runtime.getRuntime().maxMemory() >> 20,
                        Runtime.getRuntime().availableProcessors());

                JsonNode adopted = measured(fixture, "Ministra adoption", () -> service.post("/companies/"
                        + fromMinistra + "/imports/ministra", ServiceUnderTest.ADMIN_TOKEN, null));
                String file = billingExport();
                System.out.printf(Locale.ROOT, "  CSV export: %,d bytes%n", file.getBytes(StandardCharsets.UTF_8)
                        .length);
                JsonNode created = measured(fixture, "CSV import", () -> fixture.postCsv(fromBilling, file, false,
                        ServiceUnderTest.ADMIN_TOKEN));
                // asserted after both halves ran, so that each records its figures whatever the other did
                assertThat(adopted.get("state").asText()).as(adopted.toString()).isEqualTo("succeeded");
                assertThat(adopted.get("progress").get("adopted").asLong()).isEqualTo(ROWS);
                assertThat(created.get("state").asText()).as(created.toString()).isEqualTo("succeeded");
                assertThat(created.get("progress").get("created").asLong()).isEqualTo(ROWS);
            }
        }
    }

    /** 100,000 new subscribers on plan basic, each with a MAC of its own, semicolon-separated. */
    private static String billingExport() {
        StringBuilder csv = new StringBuilder(ROWS * 80).append("login;fullName;phone;tariff;status;stbMac;"
                + "customerRef\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("billing").append(i).append(";Subscriber ").append(i).append(";+3706").append(i)
                    .append(";basic;active;").append(String.format(Locale.ROOT, "02:%02X:%02X:%02X:00:01",
                            (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)).append(";C-").append(i)
                    .append('\n');
        }
        return csv.toString();
    }

    /**
     * Runs one import job to its end and records its wall time, the service's peak heap, and the CPU time this JVM
     * (the service) spent per row: a figure that says more than the wall time on a shared machine.
     */
    private static JsonNode measured(ImportFixture fixture, String label, Supplier<ApiAnswer> start) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long cpuBefore = processCpuNanos();
        ApiAnswer started = start.get();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode job = fixture.finished(started.json().get("id").asLong(), Duration.ofMinutes(10));
        long cpu = processCpuNanos() - cpuBefore;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        Instant end = job.get("finishedAt").isNull() ? Instant.now() : Instant.parse(job.get("finishedAt").asText());
        long millis = Duration.between(Instant.parse(job.get("startedAt").asText()), end).toMillis();
        long rows = Math.max(1, job.get("progress").get("rowsRead").asLong());
        System.out.printf(Locale.ROOT, "  %-20s %s in %,d ms, %s; service CPU %.0f µs per row; heap peak %,d MB;"
                        + " load average %.1f%n", label, job.get("state").asText(), millis, job.get("progress"),
                cpu / 1000.0 / rows, peak >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        boolean whole = job.get("state").asText().equals("succeeded") && rows == ROWS;
        BenchmarkFigures.record(NAME, label + ": 100,000 rows, wall time", millis / 1000.0, "s", "<= 60 s",
                whole && millis <= GOAL_MILLIS);
        BenchmarkFigures.record(NAME, label + ": service CPU per row", cpu / 1000.0 / rows, "µs");
        BenchmarkFigures.record(NAME, label + ": heap peak", peak >> 20, "MB", "<= 256 MB",
                peak <= HEAP_GOAL_BYTES);
        return job;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
