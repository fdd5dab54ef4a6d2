package dev.ministramanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.threeten.extra.MutableClock;

/**
 * Pull one account, refresh a company's fleet, transitions, the summary and the online filter: the whole service over
 * HTTP against the simulator, on PostgreSQL.
 */
@ExtendWith(SimulatorExtension.class)
@SimulatorExtension.Config(watchdogTimeoutMillis = 1500, testClock = true)
@OnBothDatabases
class AccountStatusTest {

    private static final String ADMIN = StatusFixture.ADMIN;
    private static final String MAC_1 = "00:1A:79:00:00:01";
    private static final String MAC_2 = "00:1A:79:00:00:02";
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static StatusFixture fixture;
    private static int companies;

    // a small URL limit so that a handful of accounts already needs several batches
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.status.batch-max-url-bytes", "120",
            "mm.status.refresh-enabled", "false"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        fixture = new StatusFixture(service, database);
    }

    private static long company(MinistraSimulator ministra) {
        return fixture.company("Status ISP " + (++companies), ministra.apiBaseUrl());
    }

    @Test
    void pullsAnOnlineAndAnOfflineBox(MinistraSimulator ministra) {
        long company = company(ministra);
        long alice = fixture.ours(company, "alice", "1001", MAC_1);
        fixture.ours(company, "bob", "1002", MAC_2);
        StatusFixture.inMinistra(ministra, "alice", "1001", MAC_1);
        StatusFixture.inMinistra(ministra, "bob", "1002", MAC_2);
        ministra.devices().register(MAC_1, "SN0001", "MAG322", "ImageDescription: 0.2.18", "10.0.0.21");

        JsonNode online = pull(company, "Alice").get("ministra");
        assertThat(online.get("inMinistra").asBoolean()).isTrue();
        assertThat(online.get("online").asBoolean()).isTrue();
        assertThat(online.get("ip").asText()).isEqualTo("10.0.0.21");
        assertThat(online.get("stbType").asText()).isEqualTo("MAG322");
        assertThat(online.get("stbSerial").asText()).isEqualTo("SN0001");
        assertThat(online.get("firmware").asText()).isEqualTo("ImageDescription: 0.2.18");
        assertThat(online.get("boundMac").asText()).isEqualTo(MAC_1);
        assertThat(online.get("ministraStatus").asText()).isEqualTo("active");
        assertThat(online.get("tariff").asText()).isEqualTo("basic");
        assertThat(online.get("lastActive").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(online.get("ageSeconds").asLong()).isBetween(0L, 5L);

        JsonNode offline = pull(company, "bob").get("ministra");
        assertThat(offline.get("online").asBoolean()).isFalse();
        assertThat(offline.get("lastActive").isNull()).isTrue();

        List<Map<String, Object>> stored = fixture.rows("SELECT online, ip, stb_type, read_by FROM"
                + " account_remote_state WHERE account_id = ?", alice);
        assertThat(stored).singleElement().satisfies(row -> {
            assertThat(row.get("online")).isEqualTo(true);
            assertThat(row.get("ip")).isEqualTo("10.0.0.21");
            assertThat(row.get("read_by")).isEqualTo("pull");
        });
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE action = 'pull' AND company_id = ?"
                + " AND outcome = 'ok'", company)).isEqualTo(2);
        JsonNode shown = service.get("/accounts/alice?company=" + company, ADMIN).json();
        assertThat(shown.get("sync").get("state").asText()).isEqualTo("synced");
        assertThat(shown.get("ministra").get("online").asBoolean()).isTrue();
        assertThat(shown.get("ministra").get("ageSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(ministra.writeLog()).hasSize(2);
    }

    @Test
    void anAccountMinistraDoesNotHaveIsReportedAsSuchAndFailuresAsFailures(MinistraSimulator ministra) {
        long company = company(ministra);
        fixture.ours(company, "ghost", "2001", null);

        JsonNode answer = pull(company, "ghost");
        assertThat(answer.get("ministra").get("inMinistra").asBoolean()).isFalse();
        assertThat(answer.get("ministra").get("online").isNull()).isTrue();
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE action = 'pull' AND subject_id = ?"
                + " AND outcome = 'not_found'", "ghost")).isEqualTo(1);

        assertThat(service.post("/accounts/nobody/pull?company=" + company, ADMIN, null).status()).isEqualTo(404);

        ministra.faults().add(Fault.httpError(503).forResource("users").times(1));
        ApiAnswer failed = service.post("/accounts/ghost/pull?company=" + company, ADMIN, null);
        assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
        assertThat(failed.json().get("ministraFailure").asText()).isEqualTo("server_error");
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE action = 'pull' AND subject_id = ?"
                + " AND outcome = 'server_error'", "ghost")).isEqualTo(1);
    }

    @Test
    void aBoxComingOnlineAndGoingOfflineMakesTransitions(MinistraSimulator ministra, MutableClock clock)
            throws Exception {
        long company = company(ministra);
        long alice = fixture.ours(company, "alice", "1001", MAC_1);
        StatusFixture.inMinistra(ministra, "alice", "1001", MAC_1);

        assertThat(refresh(company).get("found").asInt()).isEqualTo(1);
        ministra.devices().register(MAC_1, "SN1", "MAG250", "2.20", "10.0.0.5");
        assertThat(refresh(company).get("transitions").asInt()).isEqualTo(1);
        clock.add(Duration.ofMillis(1_800));
        assertThat(ministra.devices().isOnline(MAC_1)).isFalse();
        assertThat(refresh(company).get("transitions").asInt()).isEqualTo(1);
        assertThat(refresh(company).get("transitions").asInt()).isZero();

        List<Map<String, Object>> transitions = fixture.rows("SELECT from_state, to_state, source FROM"
                + " account_online_transition WHERE account_id = ? ORDER BY id", alice);
        assertThat(transitions).extracting(row -> row.get("from_state") + ">" + row.get("to_state"))
                .containsExactly("offline>online", "online>offline");
        assertThat(transitions).allSatisfy(row -> assertThat(row.get("source")).isEqualTo("refresh"));
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE action = 'online-transition'"
                + " AND subject_id = ?", "alice")).isEqualTo(2);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                service.management("/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("mm_status_transitions_total\\{company=\"" + company
                + "\",to=\"online\"[^}]*} 1\\.0")
                .containsPattern("mm_status_transitions_total\\{company=\"" + company + "\",to=\"offline\"");
    }

    @Test
    void aMissingAccountInABatchDoesNotHideTheOthers(MinistraSimulator ministra) {
        long company = company(ministra);
        for (int i = 1; i <= 9; i++) {
            fixture.ours(company, "sub" + i, "AC-" + i, null);
            if (i != 4 && i != 7) {
                StatusFixture.inMinistra(ministra, "sub" + i, "AC-" + i, null);
            }
        }
        // a household: two Ministra rows share one account number; ours is the one with our login
        fixture.ours(company, "home-b", "HOME", "00:1A:79:00:00:0B");
        StatusFixture.inMinistra(ministra, "home-a", "HOME", "00:1A:79:00:00:0A");
        StatusFixture.inMinistra(ministra, "home-b", "HOME", "00:1A:79:00:00:0B");
        // an account number that cannot go into a URL is read by MAC
        fixture.ours(company, "slashed", "AC/77", "00:1A:79:00:00:77");
        StatusFixture.inMinistra(ministra, "slashed", "AC/77", "00:1A:79:00:00:77");
        ministra.devices().register("00:1A:79:00:00:0B", "SNB", "MAG420", "3.0", "10.1.1.11");

        int writes = ministra.writeLog().size();
        JsonNode run = refresh(company);
        assertThat(run.get("outcome").asText()).isEqualTo("ok");
        assertThat(run.get("accounts").asInt()).isEqualTo(11);
        assertThat(run.get("found").asInt()).isEqualTo(9);
        assertThat(run.get("notFound").asInt()).isEqualTo(2);
        assertThat(run.get("requests").asInt()).isGreaterThan(3);

        List<Map<String, Object>> states = fixture.rows("SELECT a.login, s.found, s.online, s.stb_type,"
                + " s.shared_rows FROM account a JOIN account_remote_state s ON s.account_id = a.id"
                + " WHERE a.company_id = ? ORDER BY a.id", company);
        assertThat(states).hasSize(11);
        assertThat(states).filteredOn(row -> row.get("found").equals(false))
                .extracting(row -> row.get("login")).containsExactlyInAnyOrder("sub4", "sub7");
        assertThat(states).filteredOn(row -> row.get("login").equals("home-b")).singleElement().satisfies(row -> {
            assertThat(row.get("online")).isEqualTo(true);
            assertThat(row.get("stb_type")).isEqualTo("MAG420");
            assertThat(row.get("shared_rows")).isEqualTo(2);
        });
        assertThat(states).filteredOn(row -> row.get("login").equals("slashed"))
                .singleElement().satisfies(row -> assertThat(row.get("found")).isEqualTo(true));
        assertThat(ministra.writeLog()).as("a refresh only reads").hasSize(writes);

        JsonNode onlineOnly = service.get("/status/accounts?online=true&company=" + company, ADMIN).json();
        assertThat(onlineOnly.get("items")).hasSize(1);
        assertThat(onlineOnly.get("items").get(0).get("login").asText()).isEqualTo("home-b");
        JsonNode onlineAccounts = service.get("/accounts?online=true&company=" + company, ADMIN).json();
        assertThat(onlineAccounts.get("items")).extracting(item -> item.get("login").asText())
                .containsExactly("home-b");
        assertThat(onlineAccounts.get("items").get(0).get("online").asBoolean()).isTrue();
        assertThat(service.get("/accounts?online=false&company=" + company, ADMIN).json().get("items")).hasSize(8)
                .allSatisfy(item -> assertThat(item.get("online").isBoolean() && !item.get("online").asBoolean())
                        .as(item.toString()).isTrue());
        assertThat(service.get("/accounts?online=maybe&company=" + company, ADMIN).status()).isEqualTo(400);
        JsonNode offline = service.get("/status/accounts?online=false&limit=5&company=" + company, ADMIN).json();
        assertThat(offline.get("items")).hasSize(5);
        JsonNode nextPage = service.get("/status/accounts?online=false&limit=5&company=" + company + "&after="
                + offline.get("nextAfter").asLong(), ADMIN).json();
        assertThat(nextPage.get("items")).hasSize(3);
        assertThat(nextPage.get("nextAfter").isNull()).isTrue();

        JsonNode summary = service.get("/status/summary?company=" + company, ADMIN).json();
        assertThat(summary).singleElement().satisfies(row -> {
            assertThat(row.get("tariff").asText()).isEqualTo("basic");
            assertThat(row.get("online").asInt()).isEqualTo(1);
            assertThat(row.get("offline").asInt()).isEqualTo(8);
            assertThat(row.get("unknown").asInt()).isEqualTo(2);
        });
    }

    @Test
    void aBadAnswerLeavesTheSnapshotsAsTheyWere(MinistraSimulator ministra) {
        long company = company(ministra);
        long alice = fixture.ours(company, "alice", "1001", MAC_1);
        StatusFixture.inMinistra(ministra, "alice", "1001", MAC_1);
        ministra.devices().register(MAC_1, "SN1", "MAG250", "2.20", "10.0.0.5");
        assertThat(refresh(company).get("found").asInt()).isEqualTo(1);
        Object readAt = fixture.rows("SELECT read_at FROM account_remote_state WHERE account_id = ?", alice)
                .get(0).get("read_at");

        for (Fault fault : List.of(Fault.emptyBody(), Fault.phpWarning(), Fault.truncatedBody(),
                Fault.httpError(500), Fault.connectionReset())) {
            ministra.faults().clear();
            ministra.faults().add(fault.forResource("accounts"));
            JsonNode run = refresh(company);
            assertThat(run.get("outcome").asText()).as(fault.toString()).isEqualTo("failed");
            assertThat(run.get("failedBatches").asInt()).as(fault.toString()).isEqualTo(1);
            assertThat(run.get("error").asText()).as(fault.toString()).isNotBlank();
            assertThat(fixture.rows("SELECT read_at, online FROM account_remote_state WHERE account_id = ?", alice))
                    .as(fault.toString()).singleElement().satisfies(row -> {
                        assertThat(row.get("read_at")).isEqualTo(readAt);
                        assertThat(row.get("online")).isEqualTo(true);
                    });
        }
    }

    @Test
    void rolesAndCompanyScope(MinistraSimulator ministra) {
        long mine = company(ministra);
        long theirs = company(ministra);
        fixture.ours(mine, "alice", "1001", MAC_1);
        fixture.ours(theirs, "zed", "9001", null);
        StatusFixture.inMinistra(ministra, "alice", "1001", MAC_1);
        String viewer = fixture.user("status.viewer." + mine, "viewer", mine);
        String manager = fixture.user("status.manager." + mine, "manager", mine);

        assertThat(service.post("/accounts/alice/pull", viewer, null).status()).isEqualTo(403);
        assertThat(service.post("/companies/" + mine + "/status/refresh", viewer, null).status()).isEqualTo(403);
        assertThat(service.post("/accounts/alice/pull", manager, null).status()).isEqualTo(200);
        ApiAnswer deprecated = service.get("/status/accounts/alice", viewer);
        assertThat(deprecated.status()).isEqualTo(200);
        assertThat(deprecated.header("Deprecation")).isEqualTo("@1795996800");
        assertThat(deprecated.header("Link")).isEqualTo("</api/v1/accounts>; rel=\"successor-version\"");
        assertThat(service.get("/status/accounts", viewer).header("Deprecation")).isEqualTo("@1795996800");
        assertThat(service.get("/accounts/alice", viewer).header("Deprecation")).isNull();
        JsonNode openApi = service.get("/openapi.json", null).json().get("paths");
        assertThat(openApi.get("/status/accounts/{login}").get("get").get("deprecated").asBoolean()).isTrue();
        assertThat(openApi.get("/status/accounts").get("get").get("deprecated").asBoolean()).isTrue();
        assertThat(openApi.get("/accounts/{login}").get("get").has("deprecated")).isFalse();
        assertThat(service.post("/accounts/zed/pull?company=" + theirs, manager, null).status()).isEqualTo(404);
        assertThat(service.post("/accounts/zed/pull", manager, null).status()).isEqualTo(404);
        assertThat(service.post("/companies/" + theirs + "/status/refresh", manager, null).status())
                .isEqualTo(404);
        assertThat(service.get("/status/accounts/zed?company=" + theirs, viewer).status()).isEqualTo(404);
        assertThat(service.get("/status/summary", viewer).json()).allSatisfy(row ->
                assertThat(row.get("companyId").asLong()).isEqualTo(mine));
        assertThat(service.get("/status/accounts", viewer).json().get("items")).allSatisfy(row ->
                assertThat(row.get("companyId").asLong()).isEqualTo(mine));
        ApiAnswer unnamed = service.post("/accounts/alice/pull", ADMIN, null);
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.json().get("field").asText()).isEqualTo("company");
        assertThat(service.get("/status/accounts?online=maybe", viewer).status()).isEqualTo(400);
        ApiAnswer fullListing = service.post("/reconciliation/runs?company=" + mine, ADMIN, "{\"fullListing\":true}");
        assertThat(fullListing.status()).as(fullListing.toString()).isEqualTo(422);
    }

    private static JsonNode pull(long company, String login) {
        ApiAnswer answer = service.post("/accounts/" + login + "/pull?company=" + company, ADMIN, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode refresh(long company) {
        ApiAnswer answer = service.post("/companies/" + company + "/status/refresh", ADMIN, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }
}
