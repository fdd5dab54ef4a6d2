package dev.ministramanager.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under load (pg_ctlcluster … restart, on the machine's own cluster): the service recovers by
 * itself, keeps every account it answered 201 for, and serves new requests afterwards.
 */
class DatabaseRestartDrill {

    @Test
    void theServiceRecoversFromADatabaseRestartWithoutLosingAcknowledgedWrites() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); DrillProcesses processes = new DrillProcesses()) {
            DrillProcesses.Simulator simulator = processes.simulator().start();
            DrillProcesses.Node node = processes.node("db-restart", database, Map.of()).start();
            DrillScenario scenario = new DrillScenario(database, simulator);
            long company = scenario.company(node);

            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean creating = new AtomicBoolean(true);
            int[] refused = {0};
            Thread billing = new Thread(() -> {
                for (int i = 0; creating.get(); i++) {
                    String login = "restart%05d".formatted(i);
                    try {
                        int status = node.send("POST", "/accounts?company=" + company, """
                                {"login":"%s","password":"pw","tariff":"basic"}""".formatted(login)).statusCode();
                        if (status == 201) {
                            acknowledged.add(login);
                        } else {
                            refused[0]++;
                        }
                    } catch (Exception down) {
                        refused[0]++;
                    }
                }
            });
            billing.start();
            Thread.sleep(3_000);
            long restartStarted = System.currentTimeMillis();
            Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main",
                    "restart").inheritIO().start();
            assertThat(restart.waitFor()).as("pg_ctlcluster restart").isZero();
            long restartTook = System.currentTimeMillis() - restartStarted;
            Thread.sleep(5_000);
            creating.set(false);
            billing.join();

            int afterwards = node.send("POST", "/accounts?company=" + company,
                    "{\"login\":\"after-restart\",\"password\":\"pw\",\"tariff\":\"basic\"}").statusCode();
            Map<String, Long> states = scenario.awaitConverged(120_000);
            long stored = scenario.count("SELECT COUNT(*) FROM account WHERE login LIKE 'restart%'");
            List<String> lost = new ArrayList<>();
            for (String login : acknowledged) {
                if (scenario.count("SELECT COUNT(*) FROM account WHERE login = '" + login + "'") != 1) {
                    lost.add(login);
                }
            }

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("acknowledged", acknowledged.size());
            figures.put("refusedDuringRestart", refused[0]);
            figures.put("stored", stored);
            figures.put("lost", lost.size());
            figures.put("restartMs", restartTook);
            figures.put("synced", states.getOrDefault("synced", 0L));
            figures.put("createAfterRestart", afterwards);
            DrillScenario.print("database-restart", figures);

            assertThat(lost).isEmpty();
            assertThat(afterwards).isEqualTo(201);
            assertThat(states).containsOnlyKeys("synced");
        }
    }

    private static String cluster() throws Exception {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).sorted().reduce((x, y) -> y).orElseThrow();
        }
    }
}
