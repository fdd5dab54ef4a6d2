package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulator with a state directory keeps its database across restarts; an empty directory starts fresh. */
class SimulatorStateTest {

    private static SimulatorSettings keptIn(Path directory) {
        return SimulatorSettings.defaults().withPort(0).withStateDir(directory);
    }

    @Test
    void anAnsweredWriteIsOnTheDiskBeforeTheAnswer(@TempDir Path directory) throws Exception {
        try (MinistraSimulator running = MinistraSimulator.start(keptIn(directory))) {
            MinistraHttp http = new MinistraHttp(running);
            assertThat(http.post("accounts", "login=alice&password=s3cret&full_name=Alice&account_number=1001"
                    + "&tariff_plan=premium&stb_mac=00:1A:79:00:00:AA").body()).isEqualTo("{\"status\":\"OK\","
                    + "\"results\":true}");
            assertThat(http.put("accounts/1001", "full_name=Alice+A&status=0").statusCode()).isEqualTo(200);

            // what a kill -9 would leave now: the file as it is, read by a second simulator while the first runs
            try (MinistraSimulator afterKill = MinistraSimulator.start(keptIn(directory))) {
                assertThat(afterKill.accountsSnapshot()).isEqualTo(running.accountsSnapshot());
                assertThat(afterKill.passwordHash("alice")).isEqualTo(running.passwordHash("alice")).isNotEmpty();
                assertThat(afterKill.accountsSnapshot()).singleElement().satisfies(row -> assertThat(row)
                        .containsEntry("full_name", "Alice A").containsEntry("tariff_plan", "premium")
                        .containsEntry("status", 0).containsEntry("stb_mac", "00:1A:79:00:00:AA"));
            }
        }
        String file = Files.readString(directory.resolve(StateFile.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(file).contains("alice").doesNotContain("s3cret");
    }

    @Test
    void aRestartKeepsAccountsPlansSettingsEventsAndIds(@TempDir Path directory) throws Exception {
        List<Map<String, Object>> before;
        try (MinistraSimulator first = MinistraSimulator.start(keptIn(directory))) {
            MinistraHttp http = new MinistraHttp(first);
            first.replaceCatalogue("""
                    {"packages":[{"id":7,"external_id":"news","name":"News","type":"tv"}],
                     "plans":[{"id":5,"external_id":"lite","name":"Lite","user_default":1,"days_to_expires":30,
                               "packages":[{"id":7,"optional":0}]}]}""");
            first.internalBilling(true);
            first.watchdogTimeout(Duration.ofSeconds(90));
            http.post("accounts", "login=bob&account_number=2002&tariff_plan=lite&stb_mac=00:1A:79:00:00:BB");
            http.post("send_event/00:1A:79:00:00:BB", "event=reboot");
            first.devices().keepAlive("00:1A:79:00:00:BB");
            http.post("accounts", "login=carol&account_number=2003");
            http.delete("users/carol");
            before = first.accountsSnapshot();
        }

        try (MinistraSimulator second = MinistraSimulator.start(keptIn(directory))) {
            MinistraHttp http = new MinistraHttp(second);
            assertThat(second.accountsSnapshot()).isEqualTo(before);
            assertThat(second.devices().isOnline("00:1A:79:00:00:BB")).isTrue();
            assertThat(http.get("tariffs").body()).contains("\"external_id\":\"lite\"").contains("\"days_to_expires\"");
            assertThat(http.control("GET", "/_sim/config", null).body()).contains("\"enable_internal_billing\":true")
                    .contains("\"watchdog_timeout\":90");
            // ids go on where they stopped: carol (id 2) is gone and her id is not given again
            http.post("accounts", "login=dave&account_number=2004");
            assertThat(second.accountsSnapshot()).extracting(row -> row.get("id")).containsExactly(1L, 3L);
            assertThat(second.devices().pendingEvents("00:1A:79:00:00:BB")).extracting(DeviceEvent::event)
                    .containsExactly("reboot");
        }
    }

    @Test
    void anEmptyDirectoryStartsFreshAndAResetIsKept(@TempDir Path directory) throws Exception {
        try (MinistraSimulator fresh = MinistraSimulator.start(keptIn(directory))) {
            assertThat(fresh.accountsSnapshot()).isEmpty();
            assertThat(new MinistraHttp(fresh).get("tariffs").body()).contains("\"external_id\":\"basic\"");
            new MinistraHttp(fresh).post("accounts", "login=erin&account_number=3001");
            assertThat(fresh.accountsSnapshot()).hasSize(1);
            fresh.reset();
        }
        try (MinistraSimulator afterReset = MinistraSimulator.start(keptIn(directory))) {
            assertThat(afterReset.accountsSnapshot()).isEmpty();
        }
    }

    @Test
    void withoutADirectoryNothingIsKept() throws Exception {
        try (MinistraSimulator first = MinistraSimulator.start(SimulatorSettings.defaults().withPort(0))) {
            new MinistraHttp(first).post("accounts", "login=frank&account_number=4001");
            assertThat(first.accountsSnapshot()).hasSize(1);
        }
        try (MinistraSimulator second = MinistraSimulator.start(SimulatorSettings.defaults().withPort(0))) {
            assertThat(second.accountsSnapshot()).isEmpty();
        }
    }
}
