package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.CapturedLogs;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The accounts API contract: validation, idempotency, optimistic concurrency, roles, company scope, secrets. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class AccountsApiTest {

    private static final String SECRET = "Sup3r-Secret-Pw-4711";
    private static final String CHANGED_SECRET = "An0ther-Secret-Pw-0815";
    private static CapturedLogs logs;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long companyA;
    private static long companyB;
    private static final List<String> answers = new ArrayList<>();

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(AccountsFixture.fastPushes(Map.of()))
            .withCompanies("API ISP A", "API ISP B").capturingLogs();

    @BeforeAll
    static void start() throws Exception {
        logs = FLOW.logs();
        database = FLOW.database();
        service = FLOW.service();
        companyA = FLOW.company(0);
        companyB = FLOW.company(1);
        try (Connection connection = database.connect()) {
            ServiceFixture.insertPlan(connection, companyA, "legacy", "9", "Legacy", false);
            connection.createStatement().executeUpdate("UPDATE tariff_plan SET archived_at = CURRENT_TIMESTAMP"
                    + " WHERE external_id = 'legacy'");
            ServiceFixture.insertPlan(connection, companyB, "b-only", "7", "B only", false);
        }
    }

    private static ApiAnswer remember(ApiAnswer answer) {
        answers.add(answer.body());
        return answer;
    }

    @Test
    void everyValidationErrorNamesItsFieldAndStoresNothing() throws SQLException {
        long before = AccountsFixture.count(database, "SELECT COUNT(*) FROM account");
        String base = "\"login\":\"valid\"";
        Object[][] cases = {
            {"{\"password\":\"x\"}", 400, "login"},
            {"{\"login\":\"bad login!\"}", 400, "login"},
            {"{\"login\":\"with:colon\"}", 400, "login"},
            {"{\"login\":\"" + "x".repeat(65) + "\"}", 400, "login"},
            {"{" + base + ",\"password\":\"\"}", 400, "password"},
            {"{" + base + ",\"fullName\":\"" + "n".repeat(65) + "\"}", 400, "fullName"},
            {"{" + base + ",\"phone\":\"" + "1".repeat(65) + "\"}", 400, "phone"},
            {"{" + base + ",\"accountNumber\":\"a b\"}", 400, "accountNumber"},
            {"{" + base + ",\"status\":\"on\"}", 400, "status"},
            {"{" + base + ",\"stbMac\":\"ZZ:1A:79:00:00:01\"}", 400, "stbMac"},
            {"{" + base + ",\"stbMac\":\"00:1A:79:00:01\"}", 400, "stbMac"},
            {"{" + base + ",\"expiresAt\":\"2027-01-31T23:59:59\"}", 400, "expiresAt"},
            {"{" + base + ",\"comment\":\"" + "c".repeat(2001) + "\"}", 400, "comment"},
            {"{" + base + ",\"surprise\":1}", 400, "surprise"},
            {"{" + base + ",\"tariff\":\"gold\"}", 422, "tariff"},
            {"{" + base + ",\"tariff\":\"legacy\"}", 422, "tariff"},
            {"{" + base + ",\"tariff\":\"b-only\"}", 422, "tariff"},
        };
        for (Object[] invalid : cases) {
            ApiAnswer answer = remember(service.post("/accounts?company=" + companyA, ADMIN, (String) invalid[0]));
            assertThat(answer.status()).as((String) invalid[0]).isEqualTo(invalid[1]);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.json().get("field").asText()).as((String) invalid[0]).isEqualTo(invalid[2]);
        }
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account")).isEqualTo(before);

        assertThat(service.post("/accounts?company=" + companyA, ADMIN, """
                {"login":"Unique","accountNumber":"N-1","stbMac":"001a79000099"}""").status()).isEqualTo(201);
        long stored = AccountsFixture.count(database, "SELECT COUNT(*) FROM account");
        Object[][] conflicts = {
            {"{\"login\":\"UNIQUE\"}", "login"},
            {"{\"login\":\"other1\",\"accountNumber\":\"n-1\"}", "accountNumber"},
            {"{\"login\":\"other2\",\"stbMac\":\"00:1a:79:00:00:99\"}", "stbMac"},
        };
        for (Object[] conflict : conflicts) {
            ApiAnswer answer = remember(service.post("/accounts?company=" + companyA, ADMIN, (String) conflict[0]));
            assertThat(answer.status()).as((String) conflict[0]).isEqualTo(409);
            assertThat(answer.json().get("field").asText()).isEqualTo(conflict[1]);
        }
        assertThat(service.patch("/accounts/unique?company=" + companyA, ADMIN, "{\"login\":\"renamed\"}").json()
                .get("field").asText()).isEqualTo("login");
        assertThat(service.patch("/accounts/unique?company=" + companyA, ADMIN, "{\"tariff\":\"gold\"}").status())
                .isEqualTo(422);
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account")).isEqualTo(stored);
        assertThat(service.get("/accounts/unique?company=" + companyA, ADMIN).json().get("version").asLong())
                .isEqualTo(1);
        // the same login is fine in another company
        assertThat(service.post("/accounts?company=" + companyB, ADMIN, "{\"login\":\"unique\"}").status())
                .isEqualTo(201);
    }

    @Test
    void idempotentPostsReplayTheFirstAnswer(MinistraSimulator ministra) throws SQLException {
        String body = "{\"login\":\"idem\",\"password\":\"" + SECRET + "\",\"tariff\":\"basic\"}";
        ApiAnswer first = remember(service.send(service.request(service.api("/accounts?company=" + companyA), ADMIN)
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-77")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
        ApiAnswer again = remember(service.send(service.request(service.api("/accounts?company=" + companyA), ADMIN)
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-77")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));

        ApiAnswer otherBody = service.send(service.request(service.api("/accounts?company=" + companyA), ADMIN)
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-77")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"idem2\"}")));
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.json().get("field").asText()).isEqualTo("Idempotency-Key");
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM account WHERE login_key IN ('idem', 'idem2')")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
        AccountsFixture.awaitState(service, companyA, "idem", "synced");
        assertThat(ministra.writeLog().stream().filter(w -> w.isFor("POST", "accounts"))
                .filter(w -> "idem".equals(w.field("login")))).hasSize(1);

        HttpRequest.Builder deactivate = service.request(service.api("/accounts/idem/deactivate?company=" + companyA),
                ADMIN).header("Idempotency-Key", "deact-1").POST(HttpRequest.BodyPublishers.noBody());
        assertThat(service.send(deactivate).json().get("version").asLong()).isEqualTo(2);
        ApiAnswer replayed = service.send(deactivate);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(service.get("/accounts/idem?company=" + companyA, ADMIN).json().get("version").asLong())
                .isEqualTo(2);
    }

    @Test
    void staleIfMatchIs412AndChangesNothing() {
        ApiAnswer created = service.post("/accounts?company=" + companyA, ADMIN, "{\"login\":\"etag\"}");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        ApiAnswer read = service.get("/accounts/etag?company=" + companyA, ADMIN);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        ApiAnswer changed = service.send(service.request(service.api("/accounts/etag?company=" + companyA), ADMIN)
                .header("Content-Type", "application/json").header("If-Match", "\"1\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"phone\":\"123\"}")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
        ApiAnswer stale = service.send(service.request(service.api("/accounts/etag?company=" + companyA), ADMIN)
                .header("Content-Type", "application/json").header("If-Match", "\"1\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"phone\":\"456\"}")));
        assertThat(stale.status()).isEqualTo(412);
        ApiAnswer staleDelete = service.send(service.request(service.api("/accounts/etag?company=" + companyA),
                ADMIN).header("If-Match", "\"1\"").DELETE());
        assertThat(staleDelete.status()).isEqualTo(412);
        JsonNode now = service.get("/accounts/etag?company=" + companyA, ADMIN).json();
        assertThat(now.get("phone").asText()).isEqualTo("123");
        assertThat(now.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void rolesAndCompanyScope() {
        String viewer = ServiceFixture.user(service, "acc-viewer", "viewer", companyA);
        String manager = ServiceFixture.user(service, "acc-manager", "manager", companyA);
        String both = ServiceFixture.user(service, "acc-both", "manager", companyA, companyB);
        assertThat(service.post("/accounts", manager, "{\"login\":\"scoped\"}").status()).isEqualTo(201);
        assertThat(service.post("/accounts?company=" + companyB, ADMIN, "{\"login\":\"b-secret\"}").status())
                .isEqualTo(201);

        assertThat(service.get("/accounts/scoped", viewer).status()).isEqualTo(200);
        assertThat(service.get("/accounts/scoped/history", viewer).status()).isEqualTo(200);
        assertThat(service.post("/accounts", viewer, "{\"login\":\"nope\"}").status()).isEqualTo(403);
        assertThat(service.patch("/accounts/scoped", viewer, "{\"phone\":\"1\"}").status()).isEqualTo(403);
        assertThat(service.post("/accounts/scoped/push", viewer, null).status()).isEqualTo(403);
        assertThat(service.delete("/accounts/scoped", manager).status()).isEqualTo(403);
        assertThat(service.post("/dead-letters/replay", manager, "{}").status()).isEqualTo(403);
        assertThat(service.get("/dead-letters", viewer).status()).as("dead letters are not a viewer's").isEqualTo(403);
        assertThat(service.get("/dead-letters", manager).status()).isEqualTo(200);
        assertThat(service.post("/accounts/scoped/push", manager, null).status()).isEqualTo(202);

        // another company's records are absent, whichever way they are asked for
        assertThat(service.get("/accounts/b-secret", manager).status()).isEqualTo(404);
        assertThat(service.get("/accounts/b-secret?company=" + companyB, manager).status()).isEqualTo(404);
        assertThat(service.post("/accounts", manager, "{\"companyId\":" + companyB + ",\"login\":\"sneak\"}")
                .status()).isEqualTo(404);
        assertThat(service.get("/accounts?q=secret", manager).json().get("items")).isEmpty();

        ApiAnswer ambiguous = service.get("/accounts/scoped", both);
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.json().get("field").asText()).isEqualTo("company");
        assertThat(service.get("/accounts/b-secret?company=" + companyB, both).status()).isEqualTo(200);
        assertThat(service.post("/accounts", both, "{\"companyId\":" + companyB + ",\"login\":\"via-body\"}")
                .status()).isEqualTo(201);
        assertThat(service.delete("/accounts/scoped?company=" + companyA, ADMIN).status()).isEqualTo(202);
    }

    @Test
    void provisionWaitsUntilMinistraHasTheAccount(MinistraSimulator ministra) {
        ApiAnswer provisioned = remember(service.post("/provision?wait=10&company=" + companyA, ADMIN, """
                {"login":"quick","password":"%s","tariff":"premium"}""".formatted(SECRET)));
        assertThat(provisioned.status()).as(provisioned.toString()).isEqualTo(201);
        assertThat(provisioned.json().get("status").asText()).isEqualTo("active");
        assertThat(provisioned.json().path("sync").path("state").asText()).isEqualTo("synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "quick").orElseThrow()).containsEntry("status", 1)
                .containsEntry("tariff_plan", "premium");

        try {
            service.camel().getRouteController().stopRoute("account-push-poll");
            ApiAnswer waited = service.post("/provision?wait=1&company=" + companyA, ADMIN, "{\"login\":\"slow\"}");
            assertThat(waited.status()).isEqualTo(202);
            assertThat(waited.json().path("sync").path("state").asText()).isEqualTo("pending");
            service.camel().getRouteController().startRoute("account-push-poll");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(service.post("/provision?wait=999&company=" + companyA, ADMIN, "{\"login\":\"x\"}").json()
                .get("field").asText()).isEqualTo("wait");
    }

    @Test
    void listFiltersAndPagesWithAStableCursor() {
        for (int i = 0; i < 5; i++) {
            assertThat(service.post("/accounts?company=" + companyB, ADMIN, """
                    {"login":"page%d","fullName":"Pager %d","status":"%s","tariff":"premium"}"""
                    .formatted(i, i, i % 2 == 0 ? "active" : "inactive")).status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = service.get("/accounts?company=" + companyB + "&q=pager&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN).json();
            page.get("items").forEach(item -> seen.add(item.get("login").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("page0", "page1", "page2", "page3", "page4");
        assertThat(service.get("/accounts?company=" + companyB + "&q=pager&status=inactive", ADMIN).json()
                .get("items")).hasSize(2);
        assertThat(service.get("/accounts?company=" + companyB + "&tariff=premium&q=page", ADMIN).json()
                .get("items")).hasSize(5);
        assertThat(service.get("/accounts?sync=bogus", ADMIN).json().get("field").asText()).isEqualTo("sync");
        assertThat(service.get("/accounts?cursor=bogus", ADMIN).json().get("field").asText()).isEqualTo("cursor");
    }

    @Test
    void noSecretInLogsResponsesAuditDeadLettersOrTheDatabase(MinistraSimulator ministra) throws SQLException {
        ministra.loadAccounts(7, "holder");
        String takenMac = (String) ministra.accountsSnapshot().get(6).get("stb_mac");
        remember(service.post("/accounts?company=" + companyA, ADMIN, """
                {"login":"secretive","password":"%s","stbMac":"%s"}""".formatted(SECRET, takenMac)));
        JsonNode dead = AccountsFixture.awaitState(service, companyA, "secretive", "dead");
        remember(service.get("/dead-letters/" + dead.path("sync").path("deadLetterId").asLong(), ADMIN));
        remember(service.patch("/accounts/secretive?company=" + companyA, ADMIN,
                "{\"stbMac\":\"\",\"password\":\"" + CHANGED_SECRET + "\"}"));
        remember(service.post("/accounts/secretive/push?company=" + companyA, ADMIN, null));
        AccountsFixture.awaitState(service, companyA, "secretive", "synced");
        remember(service.get("/accounts/secretive?company=" + companyA, ADMIN));
        remember(service.get("/accounts/secretive/history?company=" + companyA, ADMIN));
        remember(service.get("/dead-letters?status=all", ADMIN));
        assertThat(ministra.passwordHash("secretive")).isNotEmpty();
        assertThat(ministra.writeLog().stream().filter(w -> "secretive".equals(w.field("login"))))
                .allSatisfy(w -> assertThat(w.field("password")).isEqualTo(WriteLogEntry.MASK));

        assertThat(String.join("\n", answers)).doesNotContain(SECRET).doesNotContain(CHANGED_SECRET);
        assertThat(logs.text()).doesNotContain(SECRET).doesNotContain(CHANGED_SECRET);
        assertThat(logs.lineCount()).isPositive();
        try (Connection connection = database.connect()) {
            for (String query : List.of("SELECT details FROM audit_event", "SELECT payload FROM dead_letter",
                    "SELECT password_enc FROM account", "SELECT response FROM idempotency_key",
                    "SELECT fingerprint FROM idempotency_key")) {
                try (ResultSet rows = connection.createStatement().executeQuery(query)) {
                    while (rows.next()) {
                        assertThat(String.valueOf(rows.getString(1))).as(query).doesNotContain(SECRET)
                                .doesNotContain(CHANGED_SECRET);
                    }
                }
            }
        }
        assertThat(ministra.writeLog()).noneMatch(WriteLogEntry::isBroadcast);
    }
}
