package dev.ministramanager.status;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static dev.ministramanager.testsupport.Eventually.throughout;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
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

/**
 * Reconciliation runs against the simulator over HTTP, on PostgreSQL: drift under each policy, rows only Ministra has
 * (by known MACs and by the full listing) and their adoption, bad answers that change nothing, roles and scope.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class ReconciliationTest {

    private static final String ADMIN = StatusFixture.ADMIN;
    private static final String MAC_1 = "00:1A:79:00:00:01";
    private static final String MAC_2 = "00:1A:79:00:00:02";
    private static final String MAC_3 = "00:1A:79:00:00:03";
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static StatusFixture fixture;
    private static int companies;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.reconciliation.full-listing-enabled", "true",
            "mm.status.refresh-enabled", "false"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        fixture = new StatusFixture(service, database);
    }

    /** Alice drifted in five fields, Bob matches, Carol is missing in Ministra, Dave's Ministra MAC is garbage. */
    private static long driftedCompany(MinistraSimulator ministra, String policy) {
        long company = fixture.company("Reconciled ISP " + (++companies), ministra.apiBaseUrl());
        if (policy != null) {
            ApiAnswer set = setPolicy(company, ADMIN, policy);
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
        }
        fixture.ours(company, "alice", "1001", MAC_1, "active", "basic", "Alice Example", "+100");
        fixture.ours(company, "bob", "1002", MAC_2, "active", "premium", "Bob", null);
        fixture.ours(company, "carol", "1003", null);
        fixture.ours(company, "dave", "1004", "00:1A:79:00:00:0D");
        Map<String, String> alice = new LinkedHashMap<>();
        alice.put("login", "alice");
        alice.put("account_number", "1001");
        alice.put("full_name", "Alice Married");
        alice.put("phone", "+200");
        alice.put("tariff_plan", "premium");
        alice.put("status", "0");
        alice.put("stb_mac", MAC_3);
        StatusFixture.inMinistra(ministra, alice);
        StatusFixture.inMinistra(ministra, Map.of("login", "bob", "account_number", "1002", "full_name", "Bob",
                "tariff_plan", "premium", "stb_mac", MAC_2));
        StatusFixture.inMinistra(ministra, Map.of("login", "dave", "account_number", "1004", "tariff_plan", "basic",
                "stb_mac", "ZZ:ZZ:ZZ:ZZ:ZZ:ZZ"));
        return company;
    }

    @Test
    void driftIsFoundAndReportedWithoutChangingAnything(MinistraSimulator ministra) {
        long company = driftedCompany(ministra, null);
        List<Map<String, Object>> before = accounts(company);
        int writes = ministra.writeLog().size();

        JsonNode run = run(company, "{}");
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("policy").asText()).isEqualTo("report");
        assertThat(run.get("counts").get("drift").asInt()).isEqualTo(6);
        assertThat(run.get("counts").get("missing_in_ministra").asInt()).isEqualTo(1);
        assertThat(run.get("counts").get("only_in_ministra").asInt()).isZero();
        JsonNode findings = findings(run.get("id").asLong(), "drift");
        assertThat(findings).extracting(f -> f.get("login").asText() + "." + f.get("field").asText() + "="
                + f.get("ours").asText("") + ">" + f.get("theirs").asText("")).containsExactlyInAnyOrder(
                        "alice.status=active>inactive", "alice.tariff=basic>premium",
                        "alice.full_name=Alice Example>Alice Married", "alice.phone=+100>+200",
                        "alice.stb_mac=" + MAC_1 + ">" + MAC_3, "dave.stb_mac=00:1A:79:00:00:0D>ZZ:ZZ:ZZ:ZZ:ZZ:ZZ");
        assertThat(findings).allSatisfy(f -> assertThat(f.get("resolution").asText()).isEqualTo("reported"));
        assertThat(accounts(company)).isEqualTo(before);
        assertThat(ministra.writeLog()).hasSize(writes);

        JsonNode page = service.get("/reconciliation/runs/" + run.get("id").asLong() + "?limit=3", ADMIN).json();
        assertThat(page.get("findings").get("items")).hasSize(3);
        JsonNode rest = service.get("/reconciliation/runs/" + run.get("id").asLong() + "?limit=10&after="
                + page.get("findings").get("nextAfter").asLong(), ADMIN).json();
        assertThat(rest.get("findings").get("items")).hasSize(4);
    }

    @Test
    void adoptTakesMinistrasValuesAuditedAndNeverDeletes(MinistraSimulator ministra) {
        long company = driftedCompany(ministra, "adopt");
        int writes = ministra.writeLog().size();

        JsonNode run = run(company, "{\"fullListing\":false}");
        assertThat(run.get("status").asText()).isEqualTo("completed");
        Map<String, Object> alice = fixture.rows("SELECT a.status, p.external_id AS tariff, a.full_name, a.phone,"
                + " a.stb_mac, a.version FROM account a JOIN tariff_plan p ON p.id = a.tariff_plan_id"
                + " WHERE a.company_id = ? AND a.login = 'alice'", company).get(0);
        assertThat(alice).containsEntry("status", "inactive").containsEntry("tariff", "premium")
                .containsEntry("full_name", "Alice Married").containsEntry("phone", "+200")
                .containsEntry("stb_mac", MAC_3).containsEntry("version", 2L);
        assertThat(fixture.number("SELECT COUNT(*) FROM account WHERE company_id = ? AND login = 'carol'", company))
                .isEqualTo(1);
        assertThat(fixture.rows("SELECT stb_mac FROM account WHERE company_id = ? AND login = 'dave'", company)
                .get(0).get("stb_mac")).isEqualTo("00:1A:79:00:00:0D");

        JsonNode findings = findings(run.get("id").asLong(), null);
        assertThat(findings).filteredOn(f -> f.get("login").asText().equals("alice"))
                .allSatisfy(f -> assertThat(f.get("resolution").asText()).isEqualTo("adopted"));
        assertThat(findings).filteredOn(f -> f.get("login").asText().equals("dave")).singleElement()
                .satisfies(f -> assertThat(f.get("resolution").asText()).isEqualTo("not_adoptable"));
        assertThat(findings).filteredOn(f -> f.get("login").asText().equals("carol")).singleElement()
                .satisfies(f -> assertThat(f.get("resolution").asText()).isEqualTo("reported"));
        List<Map<String, Object>> audits = fixture.rows("SELECT details FROM audit_event WHERE company_id = ?"
                + " AND action = 'adopt'", company);
        assertThat(audits).singleElement().satisfies(row -> assertThat((String) row.get("details"))
                .contains("Alice Example").contains("Alice Married").contains("\"reconciliationRun\""));
        assertThat(ministra.writeLog()).hasSize(writes);

        JsonNode again = run(company, "{}");
        assertThat(again.get("counts").get("drift").asInt()).as("only Dave's garbage MAC is left").isEqualTo(1);
    }

    @Test
    void draftsAreNeitherMissingNorDriftedAndEnforceNeverPushesThem(MinistraSimulator ministra) {
        long company = fixture.company("Drafting ISP", ministra.apiBaseUrl());
        assertThat(setPolicy(company, ADMIN, "enforce").status()).isEqualTo(200);
        fixture.ours(company, "live", "2001", null);
        StatusFixture.inMinistra(ministra, "live", "2001", null);
        long numbered = fixture.ours(company, "prepared", "2002", "00:1A:79:00:20:02");
        // a draft billing prepared without box and with a number a Ministra URL cannot carry: nothing to look it up
        // by (which fails the run for an account that should be in Ministra), and nothing to look up
        long bare = fixture.ours(company, "bare-draft", "2003/4", null);
        fixture.update("UPDATE account_push SET state = 'draft', pushed_version = NULL WHERE account_id IN (?, ?)",
                numbered, bare);
        int writes = ministra.writeLog().size();

        JsonNode run = run(company, "{}");
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("accounts").asInt()).isEqualTo(3);
        assertThat(run.get("drafts").asInt()).isEqualTo(2);
        assertThat(run.get("counts").get("missing_in_ministra").asInt()).isZero();
        assertThat(run.get("counts").get("drift").asInt()).isZero();
        // longer than the push poller's 250 ms interval: a push requested for a draft would have started in it
        throughout("enforce pushes no draft", Duration.ofMillis(300), () -> ministra.writeLog().size() == writes);
        assertThat(ministra.writeLog()).hasSize(writes);
        assertThat(fixture.number("SELECT COUNT(*) FROM account_push WHERE company_id = ? AND state = 'draft'",
                company)).isEqualTo(2);
    }

    @Test
    void enforcePushesOurStateThroughTheAccountsPipeline(MinistraSimulator ministra) {
        long company = driftedCompany(ministra, "enforce");
        List<Map<String, Object>> before = accounts(company);

        JsonNode run = run(company, "{}");
        JsonNode findings = findings(run.get("id").asLong(), null);
        assertThat(findings).hasSize(7).allSatisfy(f -> {
            assertThat(f.get("resolution").asText()).isEqualTo("push_requested");
            assertThat(f.get("resolutionDetail").asText()).contains("push requested");
        });
        assertThat(fixture.rows("SELECT subject_id FROM audit_event WHERE company_id = ? AND action = 'enforce'"
                + " AND outcome = 'push-requested' ORDER BY subject_id", company))
                .extracting(row -> row.get("subject_id")).containsExactly("alice", "carol", "dave");
        assertThat(accounts(company)).as("enforce never changes our records").isEqualTo(before);

        Map<String, Map<String, Object>> rows = eventually("Ministra's accounts enforced", () -> {
            Map<String, Map<String, Object>> byLogin = new java.util.HashMap<>();
            for (Map<String, Object> row : ministra.accountsSnapshot()) {
                byLogin.put(String.valueOf(row.get("login")), row);
            }
            return byLogin;
        }, byLogin -> byLogin.containsKey("carol") && "Alice Example".equals(byLogin.get("alice").get("full_name"))
                && "00:1A:79:00:00:0D".equals(byLogin.get("dave").get("stb_mac")));
        assertThat(rows.get("alice")).containsEntry("full_name", "Alice Example").containsEntry("phone", "+100")
                .containsEntry("tariff_plan", "basic").containsEntry("stb_mac", MAC_1);
        assertThat(rows.get("dave")).containsEntry("stb_mac", "00:1A:79:00:00:0D");
        assertThat(rows).containsKey("carol");
        assertThat(ministra.writeLog()).noneMatch(entry -> entry.isBroadcast());
        assertThat(run(company, "{}").get("counts").get("drift").asInt()).as("converged").isZero();
    }

    @Test
    void rowsOnlyMinistraHasAreFoundAndCanBeAdopted(MinistraSimulator ministra) {
        long company = fixture.company("Reconciled ISP " + (++companies), ministra.apiBaseUrl());
        fixture.ours(company, "alice", "1001", MAC_1);
        StatusFixture.inMinistra(ministra, "alice", "1001", null);
        // Alice's box registered itself as a blank row; someone created "extra" in Ministra's panel
        ministra.devices().register(MAC_1, "SN1", "MAG322", "2.20", "10.0.0.9");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("login", "extra");
        extra.put("account_number", "5005");
        extra.put("full_name", "Extra Person");
        extra.put("tariff_plan", "premium");
        extra.put("stb_mac", "00:1A:79:00:00:55");
        StatusFixture.inMinistra(ministra, extra);

        JsonNode byMacs = run(company, "{\"fullListing\":false}");
        assertThat(findings(byMacs.get("id").asLong(), "only_in_ministra")).singleElement()
                .satisfies(f -> assertThat(f.get("stbMac").asText()).isEqualTo(MAC_1));

        JsonNode listed = run(company, "{\"fullListing\":true}");
        assertThat(listed.get("remoteRows").asInt()).isEqualTo(3);
        JsonNode onlyThere = findings(listed.get("id").asLong(), "only_in_ministra");
        assertThat(onlyThere).extracting(f -> f.get("login").asText("")).containsExactlyInAnyOrder("", "extra");

        long runId = listed.get("id").asLong();
        long blank = findingId(onlyThere, "");
        long extraFinding = findingId(onlyThere, "extra");
        String viewer = fixture.user("recon.viewer." + company, "viewer", company);
        assertThat(service.post(adoptPath(runId, extraFinding), viewer, null).status()).isEqualTo(403);
        ApiAnswer adopted = service.post(adoptPath(runId, extraFinding), ADMIN, null);
        assertThat(adopted.status()).as(adopted.toString()).isEqualTo(201);
        assertThat(fixture.rows("SELECT a.account_number, a.full_name, a.stb_mac, a.status, p.external_id AS tariff"
                + " FROM account a JOIN tariff_plan p ON p.id = a.tariff_plan_id"
                + " WHERE a.company_id = ? AND a.login = 'extra'", company)).singleElement().satisfies(row ->
                assertThat(row).containsEntry("account_number", "5005").containsEntry("full_name", "Extra Person")
                        .containsEntry("stb_mac", "00:1A:79:00:00:55").containsEntry("status", "active")
                        .containsEntry("tariff", "premium"));
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE company_id = ?"
                + " AND action = 'adopt-from-ministra'", company)).isEqualTo(1);
        assertThat(service.post(adoptPath(runId, extraFinding), ADMIN, null).status()).isEqualTo(409);
        ApiAnswer noLogin = service.post(adoptPath(runId, blank), ADMIN, null);
        assertThat(noLogin.status()).isEqualTo(422);
        assertThat(noLogin.json().get("field").asText()).isEqualTo("login");
    }

    @Test
    void everyBadAnswerFailsTheRunAndChangesNothing(MinistraSimulator ministra) {
        long company = driftedCompany(ministra, "adopt");
        List<Map<String, Object>> before = accounts(company);
        int writes = ministra.writeLog().size();

        for (Fault fault : List.of(Fault.emptyBody(), Fault.phpWarning(), Fault.truncatedBody(),
                Fault.httpError(500), Fault.connectionReset(), Fault.unauthorized())) {
            ministra.faults().clear();
            ministra.faults().add(fault.forResource("accounts").withProbability(1.0));
            JsonNode run = run(company, "{\"fullListing\":true}");
            assertThat(run.get("status").asText()).as(fault.toString()).isEqualTo("failed");
            assertThat(run.get("failure").asText()).as(fault.toString()).isNotBlank();
            assertThat(findings(run.get("id").asLong(), null)).as(fault.toString())
                    .allSatisfy(f -> assertThat(f.get("resolution").asText()).isEqualTo("reported"));
        }
        ministra.faults().clear();
        // only the listing fails: the batch reads before it answered well, and still nothing is adopted
        ministra.faults().add(Fault.truncatedBody().forResource("accounts").withProbability(1.0));
        long empty = fixture.company("Reconciled ISP " + (++companies), ministra.apiBaseUrl());
        JsonNode listingOnly = run(empty, "{\"fullListing\":true}");
        assertThat(listingOnly.get("status").asText()).isEqualTo("failed");
        assertThat(listingOnly.get("requests").asInt()).isEqualTo(1);
        ministra.faults().clear();

        assertThat(accounts(company)).isEqualTo(before);
        assertThat(fixture.number("SELECT COUNT(*) FROM audit_event WHERE company_id = ? AND action = 'adopt'",
                company)).isZero();
        assertThat(ministra.writeLog()).hasSize(writes);

        // Ministra that lists nothing at all while we have accounts: not trusted as "zero accounts"
        ministra.reset();
        JsonNode nothing = run(company, "{\"fullListing\":true}");
        assertThat(nothing.get("status").asText()).isEqualTo("failed");
        assertThat(nothing.get("failure").asText()).contains("listed no accounts");
        assertThat(accounts(company)).isEqualTo(before);
    }

    @Test
    void rolesAndCompanyScope(MinistraSimulator ministra) {
        long mine = driftedCompany(ministra, null);
        long theirs = fixture.company("Reconciled ISP " + (++companies), ministra.apiBaseUrl());
        String viewer = fixture.user("recon.v." + mine, "viewer", mine);
        String manager = fixture.user("recon.m." + mine, "manager", mine);

        assertThat(service.post("/reconciliation/runs", viewer, "{}").status()).isEqualTo(403);
        ApiAnswer started = service.post("/reconciliation/runs", manager, "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        assertThat(started.header("Location")).isEqualTo("/api/v1/reconciliation/runs"
                + "/" + started.json().get("id").asLong());
        assertThat(service.get("/reconciliation/runs/" + started.json().get("id").asLong(), viewer).status())
                .isEqualTo(200);
        assertThat(service.post("/reconciliation/runs?company=" + theirs, manager, "{}").status()).isEqualTo(404);
        long othersRun = run(theirs, "{}").get("id").asLong();
        assertThat(service.get("/reconciliation/runs/" + othersRun, viewer).status()).isEqualTo(404);
        assertThat(service.get("/companies/" + mine + "/reconciliation-policy", viewer).json().get("policy")
                .asText()).isEqualTo("report");
        assertThat(setPolicy(mine, manager, "adopt").status()).isEqualTo(403);
        ApiAnswer badPolicy = setPolicy(mine, ADMIN, "delete");
        assertThat(badPolicy.status()).isEqualTo(400);
        assertThat(badPolicy.json().get("field").asText()).isEqualTo("policy");
    }

    private static ApiAnswer setPolicy(long company, String token, String policy) {
        return service.send(service.request(service.api("/companies/" + company + "/reconciliation-policy"), token)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"policy\":\"" + policy + "\"}")));
    }

    private static JsonNode run(long company, String body) {
        ApiAnswer answer = service.post("/reconciliation/runs?company=" + company, ADMIN, body);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.json();
    }

    private static JsonNode findings(long runId, String kind) {
        ApiAnswer answer = service.get("/reconciliation/runs/" + runId + "?limit=1000"
                + (kind == null ? "" : "&kind=" + kind), ADMIN);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().get("findings").get("items");
    }

    private static long findingId(JsonNode findings, String login) {
        for (JsonNode finding : findings) {
            if (finding.get("login").asText("").equals(login)) {
                return finding.get("id").asLong();
            }
        }
        throw new AssertionError("no finding for login '" + login + "'");
    }

    private static String adoptPath(long runId, long findingId) {
        return "/reconciliation/runs/" + runId + "/findings/" + findingId + "/adopt";
    }

    private static List<Map<String, Object>> accounts(long company) {
        return fixture.rows("SELECT * FROM account WHERE company_id = ? ORDER BY id", company);
    }
}
