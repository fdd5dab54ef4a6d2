package dev.ministramanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.SimulatorProcess;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fleet status refresh of 100 000 accounts against the simulator, without latency and with 20 ms per request: wall
 * time, the number of Ministra requests and the service's peak heap. The simulator runs in a child JVM so that its
 * 100 000 rows do not count against the service's heap; the service runs in this JVM. Run with
 * {@code ./mvnw -B -Pbenchmark verify -Dtest=FleetRefreshBenchmark -Dsurefire.argLine=-Xmx256m}.
 */
@Tag("benchmark")
class FleetRefreshBenchmark {

    private static final String NAME = "FleetRefreshBenchmark";
    private static final int ACCOUNTS = 100_000;
    private static final long GOAL_MILLIS = 15_000;
    private static final long HEAP_GOAL_BYTES = 256L << 20;

    @Test
    void refreshOf100kAccounts() throws Exception {
        try (SimulatorProcess simulator = SimulatorProcess.start(Path.of("target/benchmark-simulator.log"));
             TestDatabase database = TestDatabase.postgres()) {
            String simBase = simulator.base();
            simulator.control("POST", "accounts/bulk", "{\"count\":" + ACCOUNTS + ",\"prefix\":\"bench\"}");
            for (int i = 1; i <= ACCOUNTS; i += 97) {
                simulator.control("POST", "devices", "{\"mac\":\"" + mac(i) + "\",\"serial\":\"SN" + i
                        + "\",\"type\":\"MAG322\",\"version\":\"2.20\",\"ip\":\"10.0.0.1\"}");
            }
            try (ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                    "mm.status.refresh-enabled", "false"))) {
                ApiAnswer company = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                        {"name":"Bench ISP","ministraBaseUrl":"%s/stalker_portal/api/v1/","ministraUser":"ministra",
                         "ministraPassword":"ministra-secret","readTimeoutMs":30000}""".formatted(simBase));
                assertThat(company.status()).as(company.toString()).isEqualTo(201);
                long companyId = company.json().get("id").asLong();
                long insertMillis = insertAccounts(database, companyId);
                System.out.printf(Locale.ROOT, "%nFleet refresh benchmark: %,d accounts (JDBC batch insert %,d ms),"
                        + " heap limit of this JVM %,d MB, %d CPUs%n", ACCOUNTS, insertMillis,
                        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

                JsonNode first = measured(service, companyId, "no latency, first refresh (snapshots created)");
                JsonNode second = measured(service, companyId, "no latency, next refresh (snapshots updated)");
                simulator.control("POST", "faults", "{\"kind\":\"latency\",\"delay_ms\":20,\"resource\":\"accounts\"}");
                JsonNode slow = measured(service, companyId, "20 ms latency per request");

                for (JsonNode run : List.of(first, second, slow)) {
                    assertThat(run.get("outcome").asText()).isEqualTo("ok");
                    assertThat(run.get("found").asInt()).isEqualTo(ACCOUNTS);
                }
                // reported, not asserted: on a shared 2-core machine the wall time says as much about the neighbours
                System.out.printf(Locale.ROOT, "  goal: a refresh without latency within %,d ms: %s (load average"
                                + " %.1f on %d CPUs)%n", GOAL_MILLIS,
                        second.get("durationMs").asLong() <= GOAL_MILLIS ? "met" : "MISSED",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }

    private static JsonNode measured(ServiceUnderTest service, long companyId, String label) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long before = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        ApiAnswer answer = service.send(service.request(service.api("/companies/" + companyId + "/status/refresh"),
                ServiceUnderTest.ADMIN_TOKEN).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long liveAfterGc = heap.stream().map(MemoryPoolMXBean::getCollectionUsage)
                .filter(usage -> usage != null).mapToLong(MemoryUsage::getUsed).sum();
        JsonNode run = answer.json();
        System.out.printf(Locale.ROOT, "  %-50s wall %,6d ms  requests %,5d  found %,d  transitions %,d"
                        + "  heap peak %,4d MB (before %,d MB, live after last GC %,d MB)%s%n", label,
                run.get("durationMs").asLong(), run.get("requests").asInt(), run.get("found").asInt(),
                run.get("transitions").asInt(), peak >> 20, before >> 20, liveAfterGc >> 20,
                peak <= HEAP_GOAL_BYTES ? "" : "  ABOVE THE 256 MB GOAL");
        long wallMillis = run.get("durationMs").asLong();
        if (label.startsWith("no latency, next")) {
            BenchmarkFigures.record(NAME, "refresh of 100,000 accounts, " + label, wallMillis, "ms",
                    "<= %,d ms".formatted(GOAL_MILLIS), wallMillis <= GOAL_MILLIS);
        } else {
            BenchmarkFigures.record(NAME, "refresh of 100,000 accounts, " + label, wallMillis, "ms");
        }
        BenchmarkFigures.record(NAME, "peak heap, " + label, peak / (double) (1 << 20), "MB", "<= 256 MB",
                peak <= HEAP_GOAL_BYTES);
        return run;
    }

    private static long insertAccounts(TestDatabase database, long companyId) throws Exception {
        long started = System.nanoTime();
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO account (company_id, login, login_key, account_number, account_number_key, status,"
                        + " stb_mac, tariff_plan_id) VALUES (?, ?, ?, ?, ?, 'active', ?, NULL)")) {
            connection.setAutoCommit(false);
            for (int i = 1; i <= ACCOUNTS; i++) {
                String login = "bench" + i;
                insert.setLong(1, companyId);
                insert.setString(2, login);
                insert.setString(3, login);
                insert.setString(4, login);
                insert.setString(5, login);
                insert.setString(6, mac(i));
                insert.addBatch();
                if (i % 5_000 == 0) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** The simulator's bulk-loaded MACs: 00:1A:79 and the low 24 bits of the index. */
    private static String mac(int index) {
        return String.format(Locale.ROOT, "00:1A:79:%02X:%02X:%02X", (index >> 16) & 0xFF, (index >> 8) & 0xFF,
                index & 0xFF);
    }
}
