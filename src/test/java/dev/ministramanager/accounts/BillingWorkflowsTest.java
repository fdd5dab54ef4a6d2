package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static dev.ministramanager.testsupport.Eventually.throughout;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The billing workflows on PostgreSQL against the simulator: customer-wide (de)activation, generated passwords,
 * drafts, the initial status of a provision and logins as billing systems send them.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class BillingWorkflowsTest {

    private static CapturedLogs logs;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long companyA;
    private static long companyB;

    /** How long a test watches for a push that must not happen: six of the push poller's 50 ms polls. */
    private static final Duration NO_PUSH_WINDOW = Duration.ofMillis(300);

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(AccountsFixture.fastPushes(Map.of()))
            .withCompanies("Billing ISP A", "Billing ISP B").capturingLogs();

    @BeforeAll
    static void start() {
        logs = FLOW.logs();
        database = FLOW.database();
        service = FLOW.service();
        companyA = FLOW.company(0);
        companyB = FLOW.company(1);
    }

    @BeforeEach
    void clean(MinistraSimulator ministra) {
        ministra.reset();
    }

    @Test
    void customerWideDeactivateAndActivateReachEveryAccountOnce(MinistraSimulator ministra) {
        for (String login : List.of("cust-a1", "cust-a2", "cust-a3")) {
            create(companyA, "{\"login\":\"" + login + "\",\"password\":\"pw-" + login
                    + "\",\"customerRef\":\"C-100\"}");
        }
        create(companyA, "{\"login\":\"other-cust\",\"password\":\"pw-o\",\"customerRef\":\"C-200\"}");
        create(companyB, "{\"login\":\"cust-b1\",\"password\":\"pw-b\",\"customerRef\":\"C-100\"}");
        for (String login : List.of("cust-a1", "cust-a2", "cust-a3", "other-cust")) {
            AccountsFixture.awaitState(service, companyA, login, "synced");
        }
        AccountsFixture.awaitState(service, companyB, "cust-b1", "synced");

        JsonNode listed = service.get("/accounts?company=" + companyA + "&customerRef=C-100", ADMIN).json();
        assertThat(listed.get("items").findValuesAsText("login")).containsExactly("cust-a1", "cust-a2", "cust-a3");
        assertThat(listed.get("items").get(0).get("customerRef").asText()).isEqualTo("C-100");

        String viewer = ServiceFixture.user(service, "bill-viewer", "viewer", companyA);
        String managerB = ServiceFixture.user(service, "bill-manager-b", "manager", companyB);
        assertThat(service.post("/customers/C-100/deactivate?company=" + companyA, viewer, null).status())
                .isEqualTo(403);
        assertThat(service.post("/customers/C-100/deactivate?company=" + companyA, managerB, null).status())
                .isEqualTo(404);

        ministra.clearWriteLog();
        ApiAnswer deactivated = service.post("/customers/C-100/deactivate?company=" + companyA, ADMIN, null);
        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
        assertThat(deactivated.json().get("changed").asInt()).isEqualTo(3);
        assertThat(deactivated.json().get("accounts").findValuesAsText("outcome")).containsOnly("changed");
        assertThat(deactivated.json().get("accounts").findValuesAsText("status")).containsOnly("inactive");
        for (String login : List.of("cust-a1", "cust-a2", "cust-a3")) {
            AccountsFixture.awaitState(service, companyA, login, "synced");
            assertThat(AccountsFixture.ministraAccount(ministra, login).orElseThrow()).containsEntry("status", 0);
        }
        List<WriteLogEntry> writes = ministra.writeLog();
        assertThat(writes).hasSize(3).allMatch(WriteLogEntry::succeeded).noneMatch(WriteLogEntry::isBroadcast);
        assertThat(writes).extracting(w -> w.identifiers().get(0))
                .containsExactlyInAnyOrder("cust-a1", "cust-a2", "cust-a3");
        assertThat(writes).allSatisfy(w -> assertThat(w.form()).containsOnlyKeys("status"));
        assertThat(AccountsFixture.ministraAccount(ministra, "other-cust").orElseThrow()).containsEntry("status", 1);
        assertThat(AccountsFixture.ministraAccount(ministra, "cust-b1").orElseThrow()).containsEntry("status", 1);
        JsonNode history = service.get("/accounts/cust-a2/history?company=" + companyA, ADMIN).json();
        assertThat(history.findValuesAsText("action").stream().filter("deactivate"::equals)).hasSize(1);

        ApiAnswer again = service.post("/customers/C-100/deactivate?company=" + companyA, ADMIN, null);
        assertThat(again.json().get("unchanged").asInt()).isEqualTo(3);
        throughout("no further write for unchanged accounts", NO_PUSH_WINDOW, () -> ministra.writeLog().size() == 3);
        assertThat(ministra.writeLog()).hasSize(3);

        // a manager of company B reaches only B's account of the same customer reference
        ApiAnswer onlyB = service.post("/customers/C-100/deactivate", managerB, null);
        assertThat(onlyB.json().get("accounts").findValuesAsText("login")).containsExactly("cust-b1");
        AccountsFixture.awaitState(service, companyB, "cust-b1", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "cust-b1").orElseThrow()).containsEntry("status", 0);
        assertThat(service.post("/customers/C-999/activate?company=" + companyA, ADMIN, null).status())
                .isEqualTo(404);

        ministra.clearWriteLog();
        ApiAnswer activated = service.post("/customers/C-100/activate?company=" + companyA, ADMIN, null);
        assertThat(activated.json().get("changed").asInt()).isEqualTo(3);
        for (String login : List.of("cust-a1", "cust-a2", "cust-a3")) {
            AccountsFixture.awaitState(service, companyA, login, "synced");
            assertThat(AccountsFixture.ministraAccount(ministra, login).orElseThrow()).containsEntry("status", 1);
        }
        assertThat(ministra.writeLog()).extracting(w -> w.identifiers().get(0))
                .containsExactlyInAnyOrder("cust-a1", "cust-a2", "cust-a3");
    }

    @Test
    void generatedPasswordsWorkInMinistraAndAreShownOnce(MinistraSimulator ministra) throws SQLException {
        List<String> later = new ArrayList<>();
        ApiAnswer created = keyed("/accounts?company=" + companyA, "gen-1", "{\"login\":\"gen-user\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String first = created.json().get("generatedPassword").asText();
        assertThat(first).hasSize(12).matches("[" + PasswordGenerator.ALPHABET + "]+");
        ApiAnswer replay = keyed("/accounts?company=" + companyA, "gen-1", "{\"login\":\"gen-user\"}");
        later.add(replay.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().has("generatedPassword")).isFalse();
        assertThat(replay.json().get("passwordGenerated").asBoolean()).isTrue();
        assertThat(replay.json().get("passwordNote").asText()).contains("first answer");
        AccountsFixture.awaitState(service, companyA, "gen-user", "synced");
        assertThat(ministra.passwordHash("gen-user")).isEqualTo(hash(ministra, "gen-user", first));

        ApiAnswer rotated = keyed("/accounts/gen-user/password?company=" + companyA, "gen-2", null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String second = rotated.json().get("generatedPassword").asText();
        assertThat(second).hasSize(12).isNotEqualTo(first);
        ApiAnswer rotatedAgain = keyed("/accounts/gen-user/password?company=" + companyA, "gen-2", null);
        later.add(rotatedAgain.body());
        assertThat(rotatedAgain.json().has("generatedPassword")).isFalse();
        assertThat(rotatedAgain.json().get("version").asLong()).isEqualTo(rotated.json().get("version").asLong());
        AccountsFixture.await(service, companyA, "gen-user", a -> a.path("sync").path("state").asText()
                .equals("synced") && a.path("version").asLong() == 2, "the rotated password pushed");
        assertThat(ministra.passwordHash("gen-user")).isEqualTo(hash(ministra, "gen-user", second));

        ApiAnswer set = service.post("/accounts/gen-user/password?company=" + companyA, ADMIN,
                "{\"password\":\"Given-Pw-9\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().has("generatedPassword")).isFalse();
        AccountsFixture.await(service, companyA, "gen-user", a -> a.path("sync").path("state").asText()
                .equals("synced") && a.path("version").asLong() == 3, "the given password pushed");
        assertThat(ministra.passwordHash("gen-user")).isEqualTo(hash(ministra, "gen-user", "Given-Pw-9"));
        assertThat(ministra.writeLog().stream().filter(w -> w.field("password") != null)).hasSize(3);

        ApiAnswer provisioned = service.post("/provision?company=" + companyA + "&wait=10", ADMIN,
                "{\"login\":\"gen-quick\"}");
        assertThat(provisioned.status()).as(provisioned.toString()).isEqualTo(201);
        String third = provisioned.json().get("generatedPassword").asText();
        assertThat(ministra.passwordHash("gen-quick")).isEqualTo(hash(ministra, "gen-quick", third));

        String viewer = ServiceFixture.user(service, "pw-viewer", "viewer", companyA);
        assertThat(service.post("/accounts/gen-user/password?company=" + companyA, viewer, null).status())
                .isEqualTo(403);
        assertThat(service.post("/accounts/gen-user/password?company=" + companyB, ADMIN, null).status())
                .isEqualTo(404);

        later.add(service.get("/accounts/gen-user?company=" + companyA, ADMIN).body());
        later.add(service.get("/accounts/gen-quick?company=" + companyA, ADMIN).body());
        later.add(service.get("/accounts/gen-user/history?company=" + companyA, ADMIN).body());
        later.add(service.get("/accounts?company=" + companyA, ADMIN).body());
        for (String password : List.of(first, second, third)) {
            assertThat(String.join("\n", later)).doesNotContain(password);
            assertThat(logs.text()).doesNotContain(password);
            try (Connection connection = database.connect()) {
                for (String query : List.of("SELECT details FROM audit_event", "SELECT payload FROM dead_letter",
                        "SELECT response FROM idempotency_key", "SELECT password_enc FROM account")) {
                    try (ResultSet rows = connection.createStatement().executeQuery(query)) {
                        while (rows.next()) {
                            assertThat(String.valueOf(rows.getString(1))).as(query).doesNotContain(password);
                        }
                    }
                }
            }
        }
    }

    @Test
    void draftsReachMinistraOnlyWhenPushedOrActivated(MinistraSimulator ministra) throws SQLException {
        ApiAnswer draft = create(companyA, """
                {"login":"draft-1","password":"pw-d1","status":"inactive","draft":true,"customerRef":"C-300"}""");
        assertThat(draft.json().get("sync").get("state").asText()).isEqualTo("draft");
        create(companyA, "{\"login\":\"draft-2\",\"password\":\"pw-d2\",\"status\":\"inactive\",\"draft\":true}");
        create(companyA, "{\"login\":\"draft-3\",\"password\":\"pw-d3\",\"draft\":true}");
        assertThat(service.patch("/accounts/draft-1?company=" + companyA, ADMIN, "{\"fullName\":\"Prepared\"}")
                .json().get("sync").get("state").asText()).isEqualTo("draft");
        // twenty of the push poller's polls: longer than the others, since drafts are the point of this test
        throughout("no draft reaches Ministra", Duration.ofSeconds(1), () -> ministra.writeLog().isEmpty());
        assertThat(ministra.writeLog()).isEmpty();
        assertThat(ministra.accountsSnapshot()).isEmpty();
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account_push WHERE state = 'draft'"
                + " AND (claim_token IS NOT NULL OR lease_owner IS NOT NULL)")).isZero();
        assertThat(service.patch("/accounts/draft-2?company=" + companyA, ADMIN, "{\"customerRef\":\"C-301\"}")
                .json().get("customerRef").asText()).isEqualTo("C-301");
        assertThat(service.patch("/accounts/draft-1?company=" + companyA, ADMIN, "{\"customerRef\":\"\"}")
                .json().get("customerRef").isNull()).isTrue();
        assertThat(service.get("/accounts?company=" + companyA + "&sync=draft", ADMIN).json().get("items")
                .findValuesAsText("login")).containsExactly("draft-1", "draft-2", "draft-3");

        ApiAnswer deleted = service.delete("/accounts/draft-3?company=" + companyA, ADMIN);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(service.get("/accounts/draft-3?company=" + companyA, ADMIN).status()).isEqualTo(404);
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account WHERE login_key = 'draft-3'"))
                .isZero();

        assertThat(service.post("/accounts/draft-1/push?company=" + companyA, ADMIN, null).status()).isEqualTo(202);
        AccountsFixture.awaitState(service, companyA, "draft-1", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "draft-1").orElseThrow())
                .containsEntry("full_name", "Prepared").containsEntry("status", 0);

        assertThat(service.post("/accounts/draft-2/activate?company=" + companyA, ADMIN, null).status())
                .isEqualTo(200);
        AccountsFixture.awaitState(service, companyA, "draft-2", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "draft-2").orElseThrow()).containsEntry("status", 1);

        throughout("no write for the deleted draft", NO_PUSH_WINDOW, () -> ministra.writeLog().stream()
                .noneMatch(w -> (String.valueOf(w.field("login")) + w.identifiers()).contains("draft-3")));
        assertThat(ministra.writeLog()).extracting(w -> String.valueOf(w.field("login")) + w.identifiers())
                .noneMatch(text -> text.contains("draft-3"));
        assertThat(ministra.writeLog().stream().filter(w -> w.isFor("POST", "accounts"))).hasSize(2);
        assertThat(service.post("/provision?company=" + companyA, ADMIN, "{\"login\":\"no-draft\",\"draft\":true}")
                .json().get("field").asText()).isEqualTo("draft");
    }

    @Test
    void aChangeOfFieldsOnlyWeHoldPushesNothing(MinistraSimulator ministra) throws SQLException {
        create(companyA, "{\"login\":\"ref-only\",\"password\":\"pw-ref\",\"customerRef\":\"C-400\"}");
        AccountsFixture.awaitState(service, companyA, "ref-only", "synced");
        int writesBefore = ministra.writeLog().size();
        ApiAnswer changed = service.patch("/accounts/ref-only?company=" + companyA, ADMIN,
                "{\"customerRef\":\"C-401\",\"expiresAt\":\"2031-01-31T00:00:00Z\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("version").asLong()).isEqualTo(2);
        assertThat(changed.json().get("sync").get("state").asText()).isEqualTo("synced");
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account_push p JOIN account a"
                + " ON a.id = p.account_id WHERE a.login_key = 'ref-only' AND p.state = 'synced'"
                + " AND p.requested_version = 1")).isEqualTo(1);
        throughout("no push for fields only we hold", NO_PUSH_WINDOW,
                () -> ministra.writeLog().size() == writesBefore);
        assertThat(ministra.writeLog()).hasSize(writesBefore);

        // a field Ministra holds pushes, and the push carries the whole current state
        service.patch("/accounts/ref-only?company=" + companyA, ADMIN, "{\"fullName\":\"Ref Only\"}");
        AccountsFixture.awaitState(service, companyA, "ref-only", "synced");
        assertThat(ministra.writeLog()).hasSize(writesBefore + 1);
        assertThat(AccountsFixture.ministraAccount(ministra, "ref-only").orElseThrow())
                .containsEntry("full_name", "Ref Only");
    }

    @Test
    void provisionStartsWithTheRequestedOrTheCompanyDefaultStatus(MinistraSimulator ministra) {
        ApiAnswer changed = service.patch("/companies/" + companyB, ADMIN, "{\"defaultProvisionStatus\":\"inactive\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(service.get("/companies/" + companyB, ADMIN).json().get("defaultProvisionStatus").asText())
                .isEqualTo("inactive");
        assertThat(service.get("/companies/" + companyA, ADMIN).json().get("defaultProvisionStatus").asText())
                .isEqualTo("active");
        assertThat(service.patch("/companies/" + companyB, ADMIN, "{\"defaultProvisionStatus\":\"paid\"}").json()
                .get("field").asText()).isEqualTo("defaultProvisionStatus");

        ApiAnswer unpaid = service.post("/provision?company=" + companyB + "&wait=10", ADMIN,
                "{\"login\":\"prov-unpaid\",\"password\":\"pw-1\"}");
        assertThat(unpaid.status()).as(unpaid.toString()).isEqualTo(201);
        assertThat(unpaid.json().get("status").asText()).isEqualTo("inactive");
        assertThat(AccountsFixture.ministraAccount(ministra, "prov-unpaid").orElseThrow()).containsEntry("status", 0);

        ApiAnswer paid = service.post("/provision?company=" + companyB + "&wait=10", ADMIN,
                "{\"login\":\"prov-paid\",\"password\":\"pw-2\",\"status\":\"active\"}");
        assertThat(paid.json().get("status").asText()).isEqualTo("active");
        assertThat(AccountsFixture.ministraAccount(ministra, "prov-paid").orElseThrow()).containsEntry("status", 1);

        ApiAnswer usual = service.post("/provision?company=" + companyA + "&wait=10", ADMIN,
                "{\"login\":\"prov-usual\",\"password\":\"pw-3\"}");
        assertThat(usual.json().get("status").asText()).isEqualTo("active");
        ApiAnswer held = service.post("/provision?company=" + companyA + "&wait=10", ADMIN,
                "{\"login\":\"prov-held\",\"password\":\"pw-4\",\"status\":\"inactive\"}");
        assertThat(held.json().get("status").asText()).isEqualTo("inactive");
        assertThat(AccountsFixture.ministraAccount(ministra, "prov-held").orElseThrow()).containsEntry("status", 0);
    }

    @Test
    void loginsWithInvisibleCharactersAreRefusedWithTheirPosition() throws SQLException {
        Object[][] refused = {
            {" alice", 1, "U+0020"},
            {"alice ", 6, "U+0020"},
            {"ali\\u200Bce", 4, "U+200B"},
            {"\\uFEFFbob", 1, "U+FEFF"},
            {"carol\\u00A0", 6, "U+00A0"},
            {"da\\tve", 3, "U+0009"},
            {"eve\\u0007", 4, "U+0007"},
            {"fr\\u00E9d", 3, "U+00E9"},
        };
        long before = AccountsFixture.count(database, "SELECT COUNT(*) FROM account");
        for (Object[] login : refused) {
            for (String path : List.of("/accounts?company=" + companyA, "/provision?company=" + companyA)) {
                ApiAnswer answer = service.post(path, ADMIN, "{\"login\":\"" + login[0] + "\",\"password\":\"x\"}");
                String expected = login[2] + " at position " + login[1];
                assertThat(answer.status()).as(path + " " + login[0]).isEqualTo(400);
                assertThat(answer.contentType()).contains("problem+json");
                assertThat(answer.json().get("field").asText()).isEqualTo("login");
                assertThat(answer.json().get("position").asInt()).isEqualTo(login[1]);
                assertThat(answer.json().get("codePoint").asText()).isEqualTo(login[2]);
                assertThat(answer.json().get("detail").asText()).contains(expected);
            }
        }
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account")).isEqualTo(before);
        assertThat(create(companyA, "{\"login\":\"ok.Login-1@isp\",\"password\":\"x\"}").status()).isEqualTo(201);
        assertThat(service.post("/accounts?company=" + companyA, ADMIN,
                "{\"login\":\"ok2\",\"customerRef\":\"C\\u200B1\"}").json().get("field").asText())
                .isEqualTo("customerRef");

        String openApi = service.get("/openapi.json", null).body();
        assertThat(openApi).contains("1 to 64 characters of A-Z, a-z, 0-9");
    }

    private static ApiAnswer create(long companyId, String body) {
        ApiAnswer created = service.post("/accounts?company=" + companyId, ADMIN, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    private static ApiAnswer keyed(String path, String key, String body) {
        return service.send(service.request(service.api(path), ADMIN)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** What the simulator stores for a password, as Ministra does: md5(md5(password) + row id). */
    private static String hash(MinistraSimulator ministra, String login, String password) {
        Object id = AccountsFixture.ministraAccount(ministra, login).orElseThrow().get("id");
        return md5(md5(password) + id);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
