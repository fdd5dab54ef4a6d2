package dev.ministramanager.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Ministra down while billing keeps working: 60 s of refused connections, then 30 s of HTML 502 pages, with 5,000
 * changes submitted meanwhile. Everything converges once Ministra is back, without a dead letter for the transient
 * fault and without a duplicate create.
 */
class MinistraOutageDrill {

    private static final int ACCOUNTS = 5_000;

    @Test
    void everythingConvergesAfterAnOutageWithoutDeadLettersOrDuplicates() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); DrillProcesses processes = new DrillProcesses()) {
            DrillProcesses.Simulator simulator = processes.simulator().start();
            DrillProcesses.Node node = processes.node("outage", database, Map.of()).start();
            DrillScenario scenario = new DrillScenario(database, simulator);
            long company = scenario.company(node);

            simulator.control("POST", "faults", "{\"kind\":\"outage\",\"lasting_ms\":60000}");
            long outageStarted = System.currentTimeMillis();
            int accepted = scenario.submit(List.of(node), DrillScenario.creates(company, "down", ACCOUNTS));
            long pendingDuringOutage = scenario.states().getOrDefault("pending", 0L)
                    + scenario.states().getOrDefault("retrying", 0L);
            // the port reopens after 60 s; then the web server answers HTML error pages for 30 s
            while (System.currentTimeMillis() - outageStarted < 60_000) {
                Thread.sleep(200);
            }
            awaitSimulator(simulator);
            simulator.control("POST", "faults", "{\"kind\":\"http_error\",\"status\":502,\"lasting_ms\":30000}");
            Thread.sleep(30_000);
            long recovered = System.currentTimeMillis();
            Map<String, Long> states = scenario.awaitConverged(240_000);
            long convergedAfter = System.currentTimeMillis() - recovered;
            Map<String, Integer> duplicates = scenario.duplicateCreates();
            long deadLetters = scenario.count("SELECT COUNT(*) FROM dead_letter");

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("changesSubmitted", ACCOUNTS);
            figures.put("accepted", accepted);
            figures.put("waitingDuringOutage", pendingDuringOutage);
            figures.put("synced", states.getOrDefault("synced", 0L));
            figures.put("duplicateCreates", duplicates.size());
            figures.put("deadLetters", deadLetters);
            figures.put("convergedAfterRecoveryMs", convergedAfter);
            DrillScenario.print("ministra-outage", figures);

            assertThat(accepted).isEqualTo(ACCOUNTS);
            assertThat(pendingDuringOutage).isPositive();
            assertThat(states).containsOnlyKeys("synced").containsEntry("synced", (long) ACCOUNTS);
            assertThat(deadLetters).isZero();
            assertThat(duplicates).isEmpty();
        }
    }

    private static void awaitSimulator(DrillProcesses.Simulator simulator) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                simulator.control("GET", "faults", null);
                return;
            } catch (Exception stillClosed) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the simulator's outage did not end");
    }
}
