package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Optional packages on top of the plan: refused locally when not an optional package of the account's plan, pushed
 * through the accounts pipeline by reading Ministra's subscriptions and writing only the difference (so the box is
 * rebooted only when something changed), dropped and reported by a tariff change, pulled back and reconciled. The
 * simulator's catalogue: basic (base_tv + optional sport), premium (base_tv + sport + optional movies).
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class AccountPackagesTest {

    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static int companies;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, AccountsFixture.fastPushes(Map.of()));
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @Test
    void subscriptionsConvergeWithTheFewestCallsAndNoRebootWhenNothingChanged(MinistraSimulator ministra)
            throws Exception {
        long company = company(ministra);
        ApiAnswer created = service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.alice","password":"Secret-4711","tariff":"basic","stbMac":"00:1A:79:00:AA:01",
                 "packages":["sport"]}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("packages")).extracting(JsonNode::asText).containsExactly("sport");
        AccountsFixture.awaitState(service, company, "pk.alice", "synced");

        Map<String, Object> row = AccountsFixture.ministraAccount(ministra, "pk.alice").orElseThrow();
        assertThat(row.get("subscribed")).isEqualTo(List.of("sport"));
        // created with a package: one read (is it one row, what has it) and one write of the difference
        assertThat(ministra.requestCount("GET", "account_subscription")).isEqualTo(1);
        assertThat(subscriptionWrites(ministra)).extracting(WriteLogEntry::method, WriteLogEntry::identifiers,
                WriteLogEntry::form).containsExactly(org.assertj.core.groups.Tuple.tuple("PUT", List.of("pk.alice"),
                Map.of("subscribed[]", List.of("sport"))));
        assertThat(row.get("pending_events")).isEqualTo(List.of("send_msg"));

        // pushed again with nothing changed: one read, no write, so no message-and-reboot for the box
        long eventsBefore = ministra.accountsSnapshot().stream().mapToLong(r -> ((List<?>) r.get("pending_events"))
                .size()).sum();
        assertThat(service.post("/accounts/pk.alice/push?company=" + company, ADMIN, "").status()).isEqualTo(202);
        AccountsFixture.awaitCondition(() -> ministra.requestCount("GET", "account_subscription") == 2,
                "the second push's read of the subscriptions");
        AccountsFixture.awaitState(service, company, "pk.alice", "synced");
        assertThat(subscriptionWrites(ministra)).hasSize(1);
        assertThat(ministra.accountsSnapshot().stream().mapToLong(r -> ((List<?>) r.get("pending_events")).size())
                .sum()).isEqualTo(eventsBefore);

        // none wanted any more: one DELETE clears them
        ApiAnswer cleared = service.patch("/accounts/pk.alice?company=" + company, ADMIN, "{\"packages\":[]}");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        AccountsFixture.awaitCondition(() -> subscriptionWrites(ministra).size() == 2, "the clearing write");
        AccountsFixture.awaitState(service, company, "pk.alice", "synced");
        assertThat(subscriptionWrites(ministra).get(1).method()).isEqualTo("DELETE");
        assertThat(AccountsFixture.ministraAccount(ministra, "pk.alice").orElseThrow().get("subscribed"))
                .isEqualTo(List.of());
        assertThat(ministra.requestCount("GET", "account_subscription")).isEqualTo(3);
    }

    @Test
    void theIdentifierIsTheAccountNumberElseTheMacAndNeverNone(MinistraSimulator ministra) throws Exception {
        long company = company(ministra);
        // a household: Ministra has another box under account number hh3
        assertThat(ministraCall(ministra, "POST", "accounts", "login=pk.kid&account_number=hh3&tariff_plan=basic")
                .statusCode()).isEqualTo(200);
        String[][] accounts = {
            // 12 characters or more: Ministra would read the number as a MAC
            {"pk.long", "pk-household-1", "00:1A:79:00:AB:01"},
            {"pk.gus", "hh3", "00:1A:79:00:AB:03"},
            {"pk.nobox", "pk-household-2", null},
        };
        for (String[] account : accounts) {
            ApiAnswer created = service.post("/accounts?company=" + company, ADMIN, """
                    {"login":"%s","accountNumber":"%s","tariff":"basic","packages":["sport"]%s}""".formatted(
                    account[0], account[1], account[2] == null ? "" : ",\"stbMac\":\"" + account[2] + "\""));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        AccountsFixture.awaitState(service, company, "pk.long", "synced");
        AccountsFixture.awaitState(service, company, "pk.gus", "synced");
        JsonNode nobox = AccountsFixture.awaitState(service, company, "pk.nobox", "dead");
        assertThat(nobox.get("sync").get("lastErrorKind").asText()).isEqualTo("refused_by_guardrail");
        assertThat(nobox.get("sync").get("lastError").asText()).contains("bind a box");

        assertThat(subscriptionWrites(ministra)).extracting(WriteLogEntry::identifiers).containsExactlyInAnyOrder(
                List.of("00:1A:79:00:AB:01"), List.of("00:1A:79:00:AB:03"));
        assertThat(ministra.writeLog()).noneMatch(entry -> entry.resource().equals("account_subscription")
                && entry.identifiers().isEmpty());
        assertThat(AccountsFixture.ministraAccount(ministra, "pk.gus").orElseThrow().get("subscribed"))
                .isEqualTo(List.of("sport"));
        assertThat(AccountsFixture.ministraAccount(ministra, "pk.kid").orElseThrow().get("subscribed"))
                .isEqualTo(List.of());
        assertThat(AccountsFixture.ministraAccount(ministra, "pk.nobox").orElseThrow().get("subscribed"))
                .isEqualTo(List.of());
    }

    @Test
    void accountsWithoutPackagesNeverTouchSubscriptions(MinistraSimulator ministra) throws Exception {
        long company = company(ministra);
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.plain","tariff":"basic"}""").status()).isEqualTo(201);
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.empty","tariff":"basic","packages":[]}""").status()).isEqualTo(201);
        AccountsFixture.awaitState(service, company, "pk.plain", "synced");
        AccountsFixture.awaitState(service, company, "pk.empty", "synced");
        assertThat(ministra.requestCount("GET", "account_subscription")).isZero();
        assertThat(subscriptionWrites(ministra)).isEmpty();
    }

    @Test
    void aPackageOutsideThePlanIsRefusedBeforeMinistraSeesIt(MinistraSimulator ministra) throws Exception {
        long company = company(ministra);
        long accountsBefore = AccountsFixture.count(database, "SELECT COUNT(*) FROM account");
        Object[][] refused = {
            // premium's optional package, not basic's
            {"{\"login\":\"pk.bad1\",\"tariff\":\"basic\",\"packages\":[\"movies\"]}", 422, "'movies'"},
            // part of premium, but not optional there
            {"{\"login\":\"pk.bad2\",\"tariff\":\"premium\",\"packages\":[\"sport\"]}", 422, "'sport'"},
            {"{\"login\":\"pk.bad3\",\"packages\":[\"sport\"]}", 422, "none"},
            {"{\"login\":\"pk.bad4\",\"tariff\":\"basic\",\"packages\":[\"sport\",\"sport\"]}", 400, "twice"},
            {"{\"login\":\"pk.bad5\",\"tariff\":\"basic\",\"packages\":[\"\"]}", 400, "packages"},
            {"{\"login\":\"pk.bad6\",\"tariff\":\"basic\",\"packages\":[\"sp\\u200Bort\"]}", 400, "invisible"},
            {"{\"login\":\"pk.bad7\",\"tariff\":\"basic\",\"packages\":\"sport\"}", 400, "packages"},
        };
        for (Object[] request : refused) {
            ApiAnswer answer = service.post("/accounts?company=" + company, ADMIN, (String) request[0]);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(request[1]);
            assertThat(answer.json().get("field").asText()).as(answer.toString()).isEqualTo("packages");
            assertThat(answer.json().get("detail").asText()).as(answer.toString()).contains((String) request[2]);
        }
        assertThat(AccountsFixture.count(database, "SELECT COUNT(*) FROM account")).isEqualTo(accountsBefore);

        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.bob","tariff":"basic"}""").status()).isEqualTo(201);
        JsonNode bob = AccountsFixture.awaitState(service, company, "pk.bob", "synced");
        ApiAnswer outside = service.patch("/accounts/pk.bob?company=" + company, ADMIN,
                "{\"packages\":[\"movies\"]}");
        assertThat(outside.status()).as(outside.toString()).isEqualTo(422);
        assertThat(outside.json().get("detail").asText()).contains("'movies'");
        try (Connection connection = database.connect()) {
            connection.createStatement().executeUpdate("UPDATE tariff_plan SET archived_at = CURRENT_TIMESTAMP"
                    + " WHERE company_id = " + company + " AND external_id = 'basic'");
        }
        ApiAnswer archived = service.patch("/accounts/pk.bob?company=" + company, ADMIN,
                "{\"packages\":[\"sport\"]}");
        assertThat(archived.status()).as(archived.toString()).isEqualTo(422);
        assertThat(archived.json().get("detail").asText()).contains("'sport'", "archived");
        JsonNode after = service.get("/accounts/pk.bob?company=" + company, ADMIN).json();
        assertThat(after.get("version").asLong()).isEqualTo(bob.get("version").asLong());
        assertThat(after.get("packages")).isEmpty();
        assertThat(ministra.requestCount("GET", "account_subscription")).isZero();
        assertThat(subscriptionWrites(ministra)).isEmpty();
    }

    @Test
    void aTariffChangeThatDropsPackagesSaysSoAndTheTariffCountsSubscribers(MinistraSimulator ministra)
            throws Exception {
        long company = company(ministra);
        for (String login : List.of("pk.carol", "pk.dan")) {
            assertThat(service.post("/accounts?company=" + company, ADMIN, """
                    {"login":"%s","tariff":"basic","packages":["sport"]}""".formatted(login)).status())
                    .isEqualTo(201);
            AccountsFixture.awaitState(service, company, login, "synced");
        }
        assertThat(packageSubscribers(company, "basic", "sport")).isEqualTo(2);

        ApiAnswer moved = service.patch("/accounts/pk.carol?company=" + company, ADMIN, "{\"tariff\":\"premium\"}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("droppedPackages")).extracting(JsonNode::asText).containsExactly("sport");
        assertThat(moved.json().get("packages")).isEmpty();
        JsonNode history = service.get("/accounts/pk.carol/history?company=" + company, ADMIN).json();
        JsonNode change = history.get(history.size() - 1).get("details");
        assertThat(change.get("droppedPackages")).extracting(JsonNode::asText).containsExactly("sport");
        assertThat(change.get("packages").get("before")).extracting(JsonNode::asText).containsExactly("sport");
        assertThat(packageSubscribers(company, "basic", "sport")).isEqualTo(1);

        // Ministra drops it by itself with the plan (sport is not optional in premium): nothing to write
        int writes = subscriptionWrites(ministra).size();
        AccountsFixture.await(service, company, "pk.carol", account -> account.path("sync").path("state").asText()
                .equals("synced") && account.path("tariff").asText().equals("premium"), "premium, synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "pk.carol").orElseThrow().get("tariff_plan"))
                .isEqualTo("premium");
        assertThat(subscriptionWrites(ministra)).hasSize(writes);

        // a change that keeps the plan's packages drops nothing and says nothing about it
        ApiAnswer renamed = service.patch("/accounts/pk.dan?company=" + company, ADMIN, "{\"fullName\":\"Dan\"}");
        assertThat(renamed.json().has("droppedPackages")).isFalse();
        assertThat(renamed.json().get("packages")).extracting(JsonNode::asText).containsExactly("sport");
        // settled before the next test resets the simulator
        AccountsFixture.await(service, company, "pk.dan", account -> account.path("sync").path("state").asText()
                .equals("synced") && account.path("version").asLong() == renamed.json().get("version").asLong(),
                "the rename pushed");
    }

    @Test
    void subscriptionDriftIsPulledBackAndReconciled(MinistraSimulator ministra) throws Exception {
        long company = company(ministra);
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.erin","tariff":"basic","stbMac":"00:1A:79:00:AA:05","packages":["sport"]}""")
                .status()).isEqualTo(201);
        AccountsFixture.awaitState(service, company, "pk.erin", "synced");
        assertThat(service.get("/accounts/pk.erin?company=" + company, ADMIN).json().get("subscribed").isNull())
                .isTrue();
        assertThat(service.post("/accounts/pk.erin/pull?company=" + company, ADMIN, "").status()).isEqualTo(200);
        assertThat(service.get("/accounts/pk.erin?company=" + company, ADMIN).json().get("subscribed"))
                .extracting(JsonNode::asText).containsExactly("sport");
        // someone unsubscribes the box in Ministra's admin
        HttpResponse<String> removed = ministraCall(ministra, "DELETE", "account_subscription/pk.erin", null);
        assertThat(removed.body()).isEqualTo("{\"status\":\"OK\",\"results\":true}");

        assertThat(service.post("/accounts/pk.erin/pull?company=" + company, ADMIN, "").status()).isEqualTo(200);
        JsonNode erin = service.get("/accounts/pk.erin?company=" + company, ADMIN).json();
        assertThat(erin.get("packages")).extracting(JsonNode::asText).containsExactly("sport");
        assertThat(erin.get("subscribed").isArray()).isTrue();
        assertThat(erin.get("subscribed")).isEmpty();

        ApiAnswer run = service.post("/reconciliation/runs?company=" + company, ADMIN, "{}");
        assertThat(run.status()).as(run.toString()).isEqualTo(201);
        JsonNode findings = service.get("/reconciliation/runs/" + run.json().get("id").asLong()
                + "?kind=drift&limit=100", ADMIN).json().get("findings").get("items");
        assertThat(findings).extracting(f -> f.get("login").asText() + "." + f.get("field").asText() + "="
                + f.get("ours").asText("") + ">" + f.get("theirs").asText("")).containsExactly(
                        "pk.erin.packages=sport>");

        // pushing converges it back: Ministra has sport again
        assertThat(service.post("/accounts/pk.erin/push?company=" + company, ADMIN, "").status()).isEqualTo(202);
        AccountsFixture.awaitCondition(() -> List.of("sport").equals(AccountsFixture.ministraAccount(ministra,
                "pk.erin").orElseThrow().get("subscribed")), "sport subscribed again");
        AccountsFixture.awaitState(service, company, "pk.erin", "synced");
    }

    @Test
    void theAdoptPolicyTakesMinistrasSubscriptions(MinistraSimulator ministra) throws Exception {
        long company = company(ministra);
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"pk.fay","tariff":"premium","packages":["movies"]}""").status()).isEqualTo(201);
        AccountsFixture.awaitState(service, company, "pk.fay", "synced");
        assertThat(ministraCall(ministra, "DELETE", "account_subscription/pk.fay", null).body())
                .isEqualTo("{\"status\":\"OK\",\"results\":true}");
        ApiAnswer policy = service.send(service.request(service.api("/companies/" + company
                + "/reconciliation-policy"), ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"policy\":\"adopt\"}")));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);

        ApiAnswer run = service.post("/reconciliation/runs?company=" + company, ADMIN, "{}");
        assertThat(run.status()).as(run.toString()).isEqualTo(201);
        JsonNode findings = service.get("/reconciliation/runs/" + run.json().get("id").asLong()
                + "?kind=drift&limit=100", ADMIN).json().get("findings").get("items");
        assertThat(findings).extracting(f -> f.get("field").asText() + ":" + f.get("resolution").asText())
                .containsExactly("packages:adopted");
        JsonNode fay = service.get("/accounts/pk.fay?company=" + company, ADMIN).json();
        assertThat(fay.get("packages")).isEmpty();
    }

    private static long company(MinistraSimulator ministra) throws SQLException {
        long company = AccountsFixture.createCompany(service, ministra, "Packages ISP " + ++companies);
        try (Connection connection = database.connect()) {
            ServiceFixture.insertPlan(connection, company, "basic", "1", "Basic", true);
            ServiceFixture.insertPlan(connection, company, "premium", "2", "Premium", false);
            insertPackage(connection, company, "basic", "base_tv", "1", false, 0);
            insertPackage(connection, company, "basic", "sport", "2", true, 1);
            insertPackage(connection, company, "premium", "base_tv", "1", false, 0);
            insertPackage(connection, company, "premium", "sport", "2", false, 1);
            insertPackage(connection, company, "premium", "movies", "3", true, 2);
        }
        return company;
    }

    private static void insertPackage(Connection connection, long company, String plan, String externalId,
                                      String remoteId, boolean optional, int position) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tariff_package (tariff_plan_id,"
                + " external_id, remote_id, name, type, optional, position) SELECT id, ?, ?, ?, 'tv', ?, ?"
                + " FROM tariff_plan WHERE company_id = ? AND external_id = ?")) {
            insert.setString(1, externalId);
            insert.setString(2, remoteId);
            insert.setString(3, externalId);
            insert.setBoolean(4, optional);
            insert.setInt(5, position);
            insert.setLong(6, company);
            insert.setString(7, plan);
            insert.executeUpdate();
        }
    }

    private static long packageSubscribers(long company, String plan, String pkg) throws SQLException {
        long planId = AccountsFixture.count(database, "SELECT id FROM tariff_plan WHERE company_id = " + company
                + " AND external_id = '" + plan + "'");
        JsonNode tariff = service.get("/tariffs/" + planId, ADMIN).json();
        for (JsonNode item : tariff.get("packages")) {
            if (item.get("externalId").asText().equals(pkg)) {
                return item.get("subscribers").asLong();
            }
        }
        throw new AssertionError("No package " + pkg + " in " + tariff);
    }

    private static List<WriteLogEntry> subscriptionWrites(MinistraSimulator ministra) {
        return ministra.writeLog().stream().filter(entry -> entry.resource().equals("account_subscription")).toList();
    }

    /** A change made in Ministra behind our back (its admin, another tool). */
    private static HttpResponse<String> ministraCall(MinistraSimulator ministra, String method, String path,
                                                     String form) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((ministra.settings().apiUser() + ":"
                + ministra.settings().apiPassword()).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ministra.apiBaseUrl() + path))
                .header("Authorization", "Basic " + credentials).method(method, form == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
