package dev.ministramanager.openapi;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.ministramanager.client.ApiClient;
import dev.ministramanager.client.ApiException;
import dev.ministramanager.client.api.AccountsApi;
import dev.ministramanager.client.api.CompaniesApi;
import dev.ministramanager.client.api.DeadLettersApi;
import dev.ministramanager.client.api.TariffPlansApi;
import dev.ministramanager.client.model.Account;
import dev.ministramanager.client.model.AccountChanges;
import dev.ministramanager.client.model.AccountSync;
import dev.ministramanager.client.model.Company;
import dev.ministramanager.client.model.DeadLetter;
import dev.ministramanager.client.model.NewAccount;
import dev.ministramanager.client.model.NewCompany;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A billing integrator's view: the Java client that openapi-generator made from our document in this build's
 * generate-test-sources phase (pom.xml: OpenApiDocumentExport writes the document, openapi-generator-maven-plugin
 * generates the client) creates companies, provisions an account, reads it and replays a dead letter against the
 * running service and the simulator. Nothing here is written by hand but the calls.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class GeneratedClientTest {

    private static final String SHARED_MAC = "00:1A:79:00:C1:01";

    @Test
    void aGeneratedClientProvisionsReadsAndReplaysADeadLetter(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.forFlows();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.accounts.push.poll-interval-ms", "50"))) {
            ApiClient client = new ApiClient();
            client.updateBaseUri(service.api("").toString());
            client.setRequestInterceptor(request -> request.header("Authorization",
                    "Bearer " + ServiceUnderTest.ADMIN_TOKEN));
            CompaniesApi companies = new CompaniesApi(client);
            TariffPlansApi tariffs = new TariffPlansApi(client);
            AccountsApi accounts = new AccountsApi(client);
            DeadLettersApi deadLetters = new DeadLettersApi(client);

            Company created = companies.companiesCreate(company("Client ISP A", ministra), null);
            assertThat(created.getMinistraPasswordSet()).isTrue();
            long companyA = created.getId();
            long companyB = companies.companiesCreate(company("Client ISP B", ministra), null).getId();
            assertThat(companies.companiesList()).extracting(Company::getName)
                    .contains("Client ISP A", "Client ISP B");
            tariffs.tariffsSyncNow(companyA, null);
            tariffs.tariffsSyncNow(companyB, null);

            Account provisioned = accounts.accountsProvision(new NewAccount().login("client.one")
                    .fullName("Client One").tariff("basic").stbMac(SHARED_MAC), 10, "client-order-1", companyA);
            assertThat(provisioned.getGeneratedPassword()).isNotBlank();
            Account read = accounts.accountsGet("client.one", companyA);
            assertThat(read.getFullName()).isEqualTo("Client One");
            assertThat(read.getStatus()).isEqualTo(Account.StatusEnum.ACTIVE);
            assertThat(read.getSync().getState()).isEqualTo(AccountSync.StateEnum.SYNCED);
            assertThat(read.getGeneratedPassword()).isNull();
            assertThat(ministraRow(ministra, "client.one")).containsEntry("full_name", "Client One");

            // Ministra refuses a second account on the same box: a dead letter, fixed and replayed by the client
            accounts.accountsCreate(new NewAccount().login("client.two").stbMac(SHARED_MAC), null, companyB);
            awaitSync(accounts, "client.two", companyB, "dead");
            List<DeadLetter> open = deadLetters.deadLettersList(null, null, null, companyB);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).getMinistraError()).contains("MAC");
            long letterId = open.get(0).getId();
            accounts.accountsChange("client.two", new AccountChanges().stbMac("00:1A:79:00:C1:02"), null, companyB);
            deadLetters.deadLettersReplay(letterId, null, companyB);
            awaitSync(accounts, "client.two", companyB, "synced");
            assertThat(ministraRow(ministra, "client.two").get("stb_mac")).isEqualTo("00:1A:79:00:C1:02");
            assertThat(deadLetters.deadLettersGet(letterId, companyB).getStatus())
                    .isEqualTo(DeadLetter.StatusEnum.REPLAYED);

            ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                    () -> accounts.accountsGet("nobody", companyA));
            assertThat(refused.getCode()).isEqualTo(404);
            assertThat(refused.getResponseBody()).contains("\"status\":404");
        }
    }

    private static NewCompany company(String name, MinistraSimulator ministra) {
        return new NewCompany().name(name).ministraBaseUrl(java.net.URI.create(ministra.apiBaseUrl())).ministraUser("ministra")
                .ministraPassword("ministra-secret").sharedMinistra(true);
    }

    private static Map<String, Object> ministraRow(MinistraSimulator ministra, String login) {
        return ministra.accountsSnapshot().stream().filter(row -> login.equals(row.get("login"))).findFirst()
                .orElseThrow(() -> new AssertionError(login + " is not in Ministra"));
    }

    private static void awaitSync(AccountsApi accounts, String login, long companyId, String state) {
        eventually(login + " to reach " + state,
                () -> accounts.accountsGet(login, companyId).getSync().getState().getValue(), state::equals);
    }
}
