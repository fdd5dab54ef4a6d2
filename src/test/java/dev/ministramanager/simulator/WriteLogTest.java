package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write log: every POST/PUT/DELETE, rejected ones included, passwords masked, broadcasts recognisable, each with
 * its arrival and its answer.
 */
@ExtendWith(SimulatorExtension.class)
class WriteLogTest {

    private static final Duration LATENCY = Duration.ofSeconds(1);

    @Test
    void recordsEveryWriteInOrderWithPasswordsMasked(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);

        http.post("accounts", "login=alice&password=s3cret&account_number=1001&tariff_plan=basic");
        http.get("accounts/1001");
        http.put("accounts/1001", "password=new-secret&full_name=Alice+A");
        http.post("accounts", "login=alice");
        http.delete("accounts/1001");

        List<WriteLogEntry> log = simulator.writeLog();
        assertThat(log).extracting(WriteLogEntry::method).containsExactly("POST", "PUT", "POST", "DELETE");
        WriteLogEntry create = log.get(0);
        assertThat(create.path()).isEqualTo("/stalker_portal/api/v1/accounts");
        assertThat(create.resource()).isEqualTo("accounts");
        assertThat(create.identifiers()).isEmpty();
        assertThat(create.form()).containsEntry("login", List.of("alice")).containsEntry("password", List.of("***"))
                .containsEntry("tariff_plan", List.of("basic"));
        assertThat(create.result()).isEqualTo("OK");
        assertThat(create.timestamp()).isNotNull();
        assertThat(log.get(1).identifiers()).containsExactly("1001");
        assertThat(log.get(1).field("password")).isEqualTo("***");
        assertThat(log.get(1).field("full_name")).isEqualTo("Alice A");
        assertThat(log.get(2).result()).isEqualTo("ERROR");
        assertThat(log.get(2).error()).isEqualTo("Login already in use");
        assertThat(log.get(3).isFor("DELETE", "accounts")).isTrue();
        assertThat(log).noneMatch(entry -> entry.toString().contains("s3cret") || entry.toString().contains("new-secret"));
    }

    @Test
    void eachWriteSpansFromItsArrivalToItsAnswerSoThatOverlappingWritesShow(MinistraSimulator simulator)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001");
        simulator.faults().add(Fault.latency(LATENCY, Duration.ZERO));
        simulator.clearWriteLog();

        // two writes for one account at once, then one after both were answered
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> put(http, "full_name=First"), clients);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> put(http, "full_name=Second"), clients);
            CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdown();
        }
        http.put("accounts/1001", "full_name=Third");

        List<WriteLogEntry> log = simulator.writeLog();
        assertThat(log).hasSize(3).allSatisfy(entry -> assertThat(Duration.between(entry.received(),
                entry.timestamp())).isGreaterThanOrEqualTo(LATENCY));
        WriteLogEntry answeredFirst = log.get(0);
        WriteLogEntry answeredSecond = log.get(1);
        assertThat(answeredSecond.received()).as("the second arrived before the first was answered")
                .isBefore(answeredFirst.timestamp());
        assertThat(log.get(2).received()).isAfterOrEqualTo(answeredSecond.timestamp());
    }

    private static void put(MinistraHttp http, String form) {
        try {
            http.put("accounts/1001", form);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rejectedWritesAreRecordedToo(MinistraSimulator simulator) throws Exception {
        RawHttp.exchange(simulator.port(), "POST /stalker_portal/api/accounts HTTP/1.1",
                List.of(Map.entry("Authorization", "Basic d3Jvbmc6d3Jvbmc="),
                        Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                "login=intruder&password=pw".getBytes());
        RawHttp.exchange(simulator.port(), "PATCH /stalker_portal/api/accounts/1 HTTP/1.1", List.of(),
                new byte[0]);

        assertThat(simulator.writeLog()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo("HTTP 401");
            assertThat(entry.error()).isEqualTo("401 Unauthorized request");
            assertThat(entry.reachedApplication()).isFalse();
            assertThat(entry.field("password")).isEqualTo("***");
        });
    }

    @Test
    void broadcastsAreFlagged(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=00:1A:79:00:00:01");
        http.post("accounts", "login=bob&account_number=1002&stb_mac=00:1A:79:00:00:02");
        simulator.clearWriteLog();

        http.post("send_event/00:1A:79:00:00:01", "event=reboot");
        http.post("send_event", "event=reboot");
        http.post("send_event/", "event=reboot");
        http.post("send_event//", "event=reboot");
        http.post("stb_msg", "msg=hello");
        http.delete("account_subscription");
        http.put("accounts/1001", "comment=x");

        assertThat(simulator.writeLog()).extracting(WriteLogEntry::isBroadcast)
                .containsExactly(false, true, true, true, true, true, false);
        assertThat(simulator.writeLog().get(3).identifiers()).containsExactly("");
        // "no identifier" really reached every row
        assertThat(simulator.devices().pendingEvents("00:1A:79:00:00:02")).extracting(DeviceEvent::event)
                .containsExactly("reboot", "reboot", "send_msg");
    }

    @Test
    void writeLogThroughTheControlApi(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("send_event", "event=reload_portal");

        String log = http.control("GET", "/_sim/write-log", null).body();
        assertThat(log).contains("\"method\":\"POST\"", "\"resource\":\"send_event\"", "\"broadcast\":true",
                "\"result\":\"OK\"");

        assertThat(http.control("DELETE", "/_sim/write-log", null).statusCode()).isEqualTo(200);
        assertThat(simulator.writeLog()).isEmpty();
        assertThat(http.control("GET", "/_sim/write-log", null).body()).isEqualTo("[]");
    }
}
