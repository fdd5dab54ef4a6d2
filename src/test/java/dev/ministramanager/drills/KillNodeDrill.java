package dev.ministramanager.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one node in the middle of pushing: the other node goes on, the killed one's claims are taken over when
 * their lease ends, the restarted node joins in, and every account ends in Ministra as last accepted, created once.
 */
class KillNodeDrill {

    private static final int ACCOUNTS = 2_000;

    @Test
    void aNodeKilledMidPushLosesNothing() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); DrillProcesses processes = new DrillProcesses()) {
            DrillProcesses.Simulator simulator = processes.simulator().start();
            // a Ministra that takes 20 ms per request, so that the kill finds pushes in flight
            simulator.control("POST", "faults", "{\"kind\":\"latency\",\"delay_ms\":20}");
            DrillProcesses.Node a = processes.node("kill-a", database, Map.of()).start();
            DrillProcesses.Node b = processes.node("kill-b", database, Map.of()).start();
            DrillScenario scenario = new DrillScenario(database, simulator);
            long company = scenario.company(b);

            long started = System.currentTimeMillis();
            // billing keeps creating while node A is killed
            CompletableFuture<Integer> creating = CompletableFuture.supplyAsync(() -> {
                try {
                    return scenario.submit(List.of(b), DrillScenario.creates(company, "kill", ACCOUNTS));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (scenario.states().getOrDefault("synced", 0L) < ACCOUNTS / 4) {
                Thread.sleep(20);
            }
            a.kill();
            long syncedAtKill = scenario.states().getOrDefault("synced", 0L);
            int created = creating.get();
            int renamed = scenario.submit(List.of(b), DrillScenario.renames(company, "kill", ACCOUNTS, "After"));
            a.start();
            Map<String, Long> states = scenario.awaitConverged(300_000);
            long convergedAfter = System.currentTimeMillis() - started;

            Map<String, JsonNode> ministra = scenario.ministraAccounts();
            long wrongName = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                JsonNode row = ministra.get("kill%05d".formatted(i));
                if (row == null || !row.path("full_name").asText().equals("After " + i)) {
                    wrongName++;
                }
            }
            Map<String, Integer> duplicates = scenario.duplicateCreates();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("changesSubmitted", 2 * ACCOUNTS);
            figures.put("accepted", created + renamed);
            figures.put("syncedAtKill", syncedAtKill);
            figures.put("synced", states.getOrDefault("synced", 0L));
            figures.put("notConverged", wrongName);
            figures.put("duplicateCreates", duplicates.size());
            figures.put("deadLetters", states.getOrDefault("dead", 0L));
            figures.put("convergedAfterMs", convergedAfter);
            DrillScenario.print("kill-9", figures);

            assertThat(created + renamed).isEqualTo(2 * ACCOUNTS);
            assertThat(syncedAtKill).as("pushes were in flight at the kill").isLessThan(ACCOUNTS * 3L / 4);
            assertThat(states).containsOnlyKeys("synced");
            assertThat(wrongName).isZero();
            assertThat(duplicates).isEmpty();
        }
    }
}
