package dev.ministramanager.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Two service JVMs on one PostgreSQL and one simulator JVM: 5,000 account changes (2,500 creates, then 2,500 renames)
 * submitted through both nodes converge, Ministra is asked to create each account once and never has two writes for
 * one account in hand at once (the simulator's write log gives each write's arrival and answer), ends with every
 * account's last accepted name, and the clustered tariff schedule runs one sync per firing.
 */
class TwoNodesDrill {

    private static final int ACCOUNTS = 2_500;

    @Test
    void fiveThousandChangesThroughTwoNodesConvergeWithoutDuplicates() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); DrillProcesses processes = new DrillProcesses()) {
            DrillProcesses.Simulator simulator = processes.simulator().start();
            Map<String, String> schedule = Map.of("MM_TARIFFS_SYNC_CRON", "0/10 * * * * ?",
                    "MM_SCHEDULER_CLUSTER_CHECKIN_INTERVAL_MS", "2000");
            DrillProcesses.Node a = processes.node("two-nodes-a", database, schedule).start();
            DrillProcesses.Node b = processes.node("two-nodes-b", database, schedule).start();
            DrillScenario scenario = new DrillScenario(database, simulator);
            long company = scenario.company(a);

            long started = System.currentTimeMillis();
            int created = scenario.submit(List.of(a, b), DrillScenario.creates(company, "pair", ACCOUNTS));
            int renamed = scenario.submit(List.of(b, a), DrillScenario.renames(company, "pair", ACCOUNTS, "Final"));
            Map<String, Long> states = scenario.awaitConverged(300_000);
            long convergedAfter = System.currentTimeMillis() - started;

            Map<String, JsonNode> ministra = scenario.ministraAccounts();
            long wrongName = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                JsonNode row = ministra.get("pair%05d".formatted(i));
                if (row == null || !row.path("full_name").asText().equals("Final " + i)) {
                    wrongName++;
                }
            }
            Map<String, Integer> duplicates = scenario.duplicateCreates();
            Map<String, Integer> overlapping = scenario.overlappingWrites();
            long firings = scenario.count("SELECT COUNT(*) FROM tariff_sync_run WHERE run_trigger = 'schedule'");
            long distinctFirings = scenario.count("SELECT COUNT(DISTINCT scheduled_for) FROM tariff_sync_run"
                    + " WHERE run_trigger = 'schedule'");

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("changesSubmitted", 2 * ACCOUNTS);
            figures.put("accepted", created + renamed);
            figures.put("synced", states.getOrDefault("synced", 0L));
            figures.put("notConverged", wrongName);
            figures.put("duplicateCreates", duplicates.size());
            figures.put("overlappingWrites", overlapping.values().stream().mapToInt(Integer::intValue).sum());
            figures.put("deadLetters", states.getOrDefault("dead", 0L));
            figures.put("scheduledSyncs", firings);
            figures.put("firings", distinctFirings);
            figures.put("convergedAfterMs", convergedAfter);
            DrillScenario.print("two-nodes", figures);

            assertThat(created + renamed).isEqualTo(2 * ACCOUNTS);
            assertThat(states).containsOnlyKeys("synced").containsEntry("synced", (long) ACCOUNTS);
            assertThat(wrongName).isZero();
            assertThat(duplicates).isEmpty();
            assertThat(overlapping).as("accounts with two writes in Ministra's hands at once").isEmpty();
            assertThat(firings).isEqualTo(distinctFirings);
        }
    }
}
