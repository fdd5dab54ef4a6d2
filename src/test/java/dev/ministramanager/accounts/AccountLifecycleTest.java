package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole life of an account, checked in the simulator's state and write log, on PostgreSQL over HTTP. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class AccountLifecycleTest {

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(AccountsFixture.fastPushes(Map.of()))
            .withCompanies("Lifecycle ISP");
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long company;

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        company = FLOW.company(0);
    }

    @BeforeEach
    void clean(MinistraSimulator ministra) {
        ministra.reset();
    }

    @Test
    void createActivateChangeTariffAndMacDeactivateDelete(MinistraSimulator ministra) {
        ApiAnswer created = service.post("/accounts?company=" + company, ADMIN, """
                {"login":"alice","password":"alice-pw-1","fullName":"Alice Example","phone":"+380001112233",
                 "tariff":"basic","status":"inactive","stbMac":"00-1a-79-00-00-01","comment":"first"}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("stbMac").asText()).isEqualTo("00:1A:79:00:00:01");
        assertThat(created.json().get("accountNumber").asText()).isEqualTo("alice");
        assertThat(created.json().has("password")).isFalse();
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Location")).contains("/accounts/alice");

        AccountsFixture.awaitState(service, company, "alice", "synced");
        Map<String, Object> row = AccountsFixture.ministraAccount(ministra, "alice").orElseThrow();
        assertThat(row).containsEntry("full_name", "Alice Example").containsEntry("phone", "+380001112233")
                .containsEntry("account_number", "alice").containsEntry("tariff_plan", "basic")
                .containsEntry("stb_mac", "00:1A:79:00:00:01").containsEntry("status", 0)
                .containsEntry("comment", "first").containsEntry("password_set", true);

        assertThat(service.post("/accounts/alice/activate?company=" + company, ADMIN, null).status()).isEqualTo(200);
        AccountsFixture.awaitState(service, company, "alice", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "alice").orElseThrow()).containsEntry("status", 1);

        ApiAnswer changed = service.patch("/accounts/alice?company=" + company, ADMIN, """
                {"tariff":"premium","stbMac":"00:1A:79:00:00:02"}""");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        AccountsFixture.awaitState(service, company, "alice", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "alice").orElseThrow())
                .containsEntry("tariff_plan", "premium").containsEntry("stb_mac", "00:1A:79:00:00:02");

        assertThat(service.post("/accounts/alice/deactivate?company=" + company, ADMIN, null).status())
                .isEqualTo(200);
        AccountsFixture.awaitState(service, company, "alice", "synced");
        assertThat(AccountsFixture.ministraAccount(ministra, "alice").orElseThrow()).containsEntry("status", 0);

        ApiAnswer deleted = service.delete("/accounts/alice?company=" + company, ADMIN);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(202);
        assertThat(service.get("/accounts/alice?company=" + company, ADMIN).status()).isEqualTo(404);
        AccountsFixture.awaitCondition(() -> AccountsFixture.ministraAccount(ministra, "alice").isEmpty(),
                "alice removed from Ministra");

        // one create, then only what changed, each addressed by login; the password went only with the create
        var writes = ministra.writeLog();
        assertThat(writes).extracting(WriteLogEntry::method).containsExactly("POST", "PUT", "PUT", "PUT", "DELETE");
        assertThat(writes).allMatch(WriteLogEntry::succeeded);
        assertThat(writes.subList(1, 5)).allSatisfy(write -> {
            assertThat(write.resource()).isEqualTo("users");
            assertThat(write.identifiers()).containsExactly("alice");
            assertThat(write.form()).doesNotContainKey("password");
        });
        assertThat(writes.get(1).form()).containsOnlyKeys("status");
        assertThat(writes.get(2).form()).containsOnlyKeys("tariff_plan", "stb_mac");
        assertThat(writes).noneMatch(WriteLogEntry::isBroadcast);

        // the delete's push is recorded a moment after Ministra answered it (successes are recorded in batches)
        AccountsFixture.awaitCondition(() -> service.get("/accounts/alice/history?company=" + company, ADMIN).json()
                .findValuesAsText("action").size() >= 10, "the delete's push recorded in the history");
        JsonNode history = service.get("/accounts/alice/history?company=" + company, ADMIN).json();
        assertThat(history.findValuesAsText("action")).containsSubsequence("create", "push", "activate", "push",
                "change", "push", "deactivate", "push", "delete", "push");
    }

    @Test
    void quickChangesCoalesceIntoOnePush(MinistraSimulator ministra) {
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"bob","fullName":"Bob","tariff":"basic"}""").status()).isEqualTo(201);
        AccountsFixture.awaitState(service, company, "bob", "synced");
        ministra.clearWriteLog();
        try {
            service.camel().getRouteController().stopRoute("account-push-poll");
            for (int i = 1; i <= 5; i++) {
                assertThat(service.patch("/accounts/bob?company=" + company, ADMIN,
                        "{\"fullName\":\"Bob " + i + "\",\"phone\":\"" + i + "\"}").status()).isEqualTo(200);
            }
            service.camel().getRouteController().startRoute("account-push-poll");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        JsonNode synced = AccountsFixture.awaitState(service, company, "bob", "synced");
        assertThat(synced.get("version").asLong()).isEqualTo(6);
        assertThat(ministra.writeLog()).hasSize(1);
        assertThat(ministra.writeLog().get(0).form()).containsEntry("full_name", java.util.List.of("Bob 5"))
                .containsEntry("phone", java.util.List.of("5"));
    }
}
