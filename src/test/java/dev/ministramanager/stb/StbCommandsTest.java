package dev.ministramanager.stb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.DeviceEvent;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.threeten.extra.MutableClock;

/**
 * STB commands reach exactly the intended box, by MAC, over real HTTP to the simulator, on PostgreSQL. The boxes'
 * 1.5 s watchdog runs on the simulator's clock, which only the reboot test moves: a registered box stays online
 * however slowly a loaded machine runs the test.
 */
@ExtendWith(SimulatorExtension.class)
@SimulatorExtension.Config(watchdogTimeoutMillis = 1500, testClock = true)
@OnBothDatabases
class StbCommandsTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String ALICE_MAC = "00:1A:79:00:00:A1";
    private static final String BOB_MAC = "00:1A:79:00:00:B2";
    private static final List<WriteLogEntry> WHOLE_RUN = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static String manager;
    private static String viewer;
    private static long company;
    private static long otherCompany;
    private static int companyCounter;
    private MinistraSimulator ministra;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.stb.reboot-min-interval-seconds", "60",
            "mm.stb.wait-poll-millis", "200"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @AfterAll
    static void noCommandWasBroadcast() {
        assertThat(WHOLE_RUN).isNotEmpty().noneMatch(WriteLogEntry::isBroadcast);
        assertThat(WHOLE_RUN).filteredOn(entry -> "send_event".equals(entry.resource())
                        || "stb_msg".equals(entry.resource()))
                .allSatisfy(entry -> assertThat(entry.identifiers()).hasSize(1)
                        .allMatch(id -> id.matches("([0-9A-F]{2}:){5}[0-9A-F]{2}")));
    }

    @BeforeEach
    void companiesAndAccounts(MinistraSimulator simulator) throws Exception {
        ministra = simulator;
        companyCounter++;
        company = ServiceFixture.company(service, "STB ISP " + companyCounter, simulator.apiBaseUrl(), "");
        otherCompany = ServiceFixture.company(service, "Other ISP " + companyCounter, simulator.apiBaseUrl(), "");
        manager = ServiceFixture.user(service, "stb.manager." + companyCounter, "manager", company);
        viewer = ServiceFixture.user(service, "stb.viewer." + companyCounter, "viewer", company);
        insertAccount(company, "alice", "1001", ALICE_MAC);
        insertAccount(company, "bob", "1002", BOB_MAC);
        insertAccount(company, "nobox", "1003", null);
        insertAccount(otherCompany, "stranger", "2001", "00:1A:79:00:00:C3");
        ministraAccount("alice", "1001", ALICE_MAC);
        ministraAccount("bob", "1002", BOB_MAC);
        simulator.devices().register(ALICE_MAC, "SN-A", "MAG322", "2.20", "10.0.0.11");
        simulator.clearWriteLog();
    }

    @AfterEach
    void keepTheWriteLog() {
        WHOLE_RUN.addAll(ministra.writeLog());
    }

    @Test
    void aRebootReachesExactlyTheAccountsBoxAndSaysItWasOnline() {
        ApiAnswer answer = service.post("/accounts/alice/stb/reboot?company=" + company, manager, null);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("mac").asText()).isEqualTo(ALICE_MAC);
        assertThat(answer.json().get("outcome").asText()).isEqualTo("queued");
        assertThat(answer.json().get("boxOnline").asBoolean()).isTrue();
        assertThat(answer.json().has("warning")).isFalse();
        List<WriteLogEntry> sent = ministra.writeLog();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).resource()).isEqualTo("send_event");
        assertThat(sent.get(0).identifiers()).containsExactly(ALICE_MAC);
        assertThat(sent.get(0).field("event")).isEqualTo("reboot");
        assertThat(ministra.devices().pendingEvents(ALICE_MAC)).extracting(DeviceEvent::event).containsExactly("reboot");
        assertThat(ministra.devices().pendingEvents(BOB_MAC)).isEmpty();
        assertThat(auditActions("alice")).contains("stb-reboot queued");
    }

    @Test
    void anAccountWithoutABoxIs409AndNothingIsSent() {
        ApiAnswer answer = service.post("/accounts/nobox/stb/reload-portal?company=" + company, manager, null);
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.json().get("field").asText()).isEqualTo("stb_mac");
        assertThat(ministra.writeLog()).isEmpty();
    }

    @Test
    void aSecondRebootWithinTheIntervalIs429WithRetryAfter() {
        assertThat(service.post("/accounts/alice/stb/reboot?company=" + company, manager, null).status())
                .isEqualTo(200);
        ApiAnswer again = service.post("/accounts/alice/stb/reboot?company=" + company, manager, null);
        assertThat(again.status()).isEqualTo(429);
        assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(1L, 61L);
        assertThat(ministra.writeLog()).hasSize(1);
        assertThat(service.post("/accounts/alice/stb/reload-portal?company=" + company, manager, null).status())
                .isEqualTo(200);
    }

    @Test
    void anOfflineBoxIsReportedWithWhenTheEventExpires() {
        ApiAnswer answer = service.post("/accounts/bob/stb/update-channels?company=" + company, manager, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("boxOnline").asBoolean()).isFalse();
        assertThat(answer.json().get("warning").asText()).contains("offline");
        assertThat(ministra.writeLog().get(0).field("event")).isEqualTo("update_channels");
        assertThat(ministra.devices().pendingEvents(BOB_MAC)).extracting(DeviceEvent::event)
                .containsExactly("update_subscription");
    }

    @Test
    void messagesGoThroughSendEventOrStbMsgWhenTheyHideThemselves() {
        ApiAnswer withReboot = service.post("/accounts/alice/stb/message?company=" + company, manager,
                "{\"text\":\"Please restart\",\"rebootAfterOk\":true}");
        assertThat(withReboot.status()).as(withReboot.toString()).isEqualTo(200);
        ApiAnswer hiding = service.post("/accounts/alice/stb/message?company=" + company, manager,
                "{\"text\":\"Maintenance tonight\",\"autoHideSeconds\":30,\"ttlSeconds\":3600}");
        assertThat(hiding.status()).isEqualTo(200);
        assertThat(hiding.json().get("expiresAt").asText()).isNotBlank();

        List<WriteLogEntry> sent = ministra.writeLog();
        assertThat(sent).extracting(WriteLogEntry::resource).containsExactly("send_event", "stb_msg");
        assertThat(sent.get(0).field("event")).isEqualTo("send_msg");
        assertThat(sent.get(0).field("need_reboot")).isEqualTo("1");
        assertThat(sent.get(1).field("auto_hide_timeout")).isEqualTo("30");
        assertThat(sent.get(1).field("ttl")).isEqualTo("3600");
    }

    @Test
    void badCommandsAndOptionsAreRefusedBeforeAnythingIsSent() {
        assertThat(service.post("/accounts/alice/stb/self-destruct?company=" + company, manager, null).status())
                .isEqualTo(404);
        ApiAnswer noChannel = service.post("/accounts/alice/stb/play-channel?company=" + company, manager, null);
        assertThat(noChannel.status()).isEqualTo(400);
        assertThat(noChannel.json().get("field").asText()).isEqualTo("channel");
        ApiAnswer noText = service.post("/accounts/alice/stb/message?company=" + company, manager, "{}");
        assertThat(noText.json().get("field").asText()).isEqualTo("text");
        assertThat(service.post("/accounts/ghost/stb/reboot?company=" + company, manager, null).status())
                .isEqualTo(404);
        assertThat(ministra.writeLog()).isEmpty();

        ApiAnswer channel = service.post("/accounts/alice/stb/play-channel?company=" + company, manager,
                "{\"channel\":12}");
        assertThat(channel.status()).isEqualTo(200);
        assertThat(ministra.writeLog().get(0).field("channel")).isEqualTo("12");
    }

    @Test
    void rolesAndCompanyScope() {
        assertThat(service.post("/accounts/alice/stb/reboot?company=" + company, viewer, null).status())
                .isEqualTo(403);
        assertThat(service.post("/accounts/stranger/stb/reboot?company=" + otherCompany, manager, null).status())
                .isEqualTo(404);
        assertThat(service.post("/accounts/stranger/stb/reboot?company=" + company, manager, null).status())
                .isEqualTo(404);
        assertThat(ministra.writeLog()).isEmpty();
    }

    @Test
    void aBulkCommandAnswersPerLogin() {
        ApiAnswer answer = service.post("/stb/commands?company=" + company, manager,
                "{\"command\":\"reload-portal\",\"logins\":[\"alice\",\"nobox\",\"ghost\",\"bob\",\"alice\"]}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("queued").asInt()).isEqualTo(2);
        assertThat(json.get("failed").asInt()).isEqualTo(2);
        Map<String, Integer> statusByLogin = new java.util.HashMap<>();
        json.get("results").forEach(item -> statusByLogin.put(item.get("login").asText(),
                item.has("status") ? item.get("status").asInt() : 200));
        assertThat(statusByLogin).containsEntry("alice", 200).containsEntry("bob", 200)
                .containsEntry("nobox", 409).containsEntry("ghost", 404);
        assertThat(ministra.writeLog()).extracting(entry -> entry.identifiers().get(0))
                .containsExactlyInAnyOrder(ALICE_MAC, BOB_MAC);

        ApiAnswer tooMany = service.post("/stb/commands?company=" + company, manager,
                "{\"command\":\"reboot\",\"logins\":[]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("field").asText()).isEqualTo("logins");
    }

    @Test
    void aRebootCanWaitUntilTheBoxIsBackOnline(MutableClock clock) throws Exception {
        ScheduledExecutorService box = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean rebooting = new AtomicBoolean();
        long[] statusReadsWhenRebootStarted = new long[1];
        // the box: takes the reboot, is silent past the watchdog, and comes back once the service has seen it
        // offline (the service reads the status one request after the other: the first of two reads after the
        // reboot is answered before the second arrives, and saw the box offline)
        box.scheduleAtFixedRate(() -> {
            if (!rebooting.get() && ministra.devices().takePendingEvents(ALICE_MAC).stream()
                    .anyMatch(event -> event.event().equals("reboot"))) {
                clock.add(Duration.ofMillis(1_600));
                statusReadsWhenRebootStarted[0] = ministra.requestCount("GET", "accounts");
                rebooting.set(true);
            }
            boolean seenOffline = rebooting.get()
                    && ministra.requestCount("GET", "accounts") >= statusReadsWhenRebootStarted[0] + 2;
            if (!rebooting.get() || seenOffline) {
                ministra.devices().keepAlive(ALICE_MAC);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try {
            ApiAnswer answer = service.post("/accounts/alice/stb/reboot?company=" + company, manager,
                    "{\"waitSeconds\":15}");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("wait").get("outcome").asText()).isEqualTo("back_online");
            assertThat(answer.json().get("wait").get("waitedSeconds").asLong()).isLessThan(15);
        } finally {
            box.shutdownNow();
        }
    }

    private static void insertAccount(long companyId, String login, String number, String mac) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO account (company_id, login, login_key, account_number, account_number_key, status,"
                        + " stb_mac) VALUES (?, ?, ?, ?, ?, 'active', ?)")) {
            insert.setLong(1, companyId);
            insert.setString(2, login);
            insert.setString(3, login.toLowerCase());
            insert.setString(4, number);
            insert.setString(5, number);
            insert.setString(6, mac);
            insert.executeUpdate();
        }
    }

    private void ministraAccount(String login, String number, String mac) throws Exception {
        String form = "login=" + login + "&account_number=" + number + "&stb_mac=" + mac + "&tariff_plan=basic";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ministra.apiBaseUrl() + "accounts"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ministra:ministra-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("\"results\":true");
    }

    private static String auditActions(String login) {
        StringBuilder actions = new StringBuilder();
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT action, outcome FROM audit_event WHERE subject = 'account' AND subject_id = ? ORDER BY id")) {
            query.setString(1, login);
            var rows = query.executeQuery();
            while (rows.next()) {
                actions.append(rows.getString(1)).append(' ').append(rows.getString(2)).append('\n');
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return actions.toString();
    }
}
