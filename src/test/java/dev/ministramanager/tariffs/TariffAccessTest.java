package dev.ministramanager.tariffs;

import static dev.ministramanager.tariffs.TariffFixtures.ADMIN;
import static dev.ministramanager.tariffs.TariffFixtures.companyOn;
import static dev.ministramanager.tariffs.TariffFixtures.count;
import static dev.ministramanager.tariffs.TariffFixtures.rows;
import static dev.ministramanager.tariffs.TariffFixtures.sync;
import static dev.ministramanager.tariffs.TariffFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Roles and company scope of the tariff endpoints, on PostgreSQL: viewers read, managers sync, per company. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class TariffAccessTest {

    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.tariffs.sync-cron", "0 0 0 1 1 ? 2099"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @Test
    void viewersReadManagersSyncAndAnotherCompanysTariffsDoNotExist(MinistraSimulator ministra) {
        long alpha = companyOn(service, ministra, "Alpha Tariffs");
        long beta = companyOn(service, ministra, "Beta Tariffs");
        String viewer = user(service, "tara.viewer", "viewer", alpha);
        String manager = user(service, "tom.manager", "manager", alpha);
        assertThat(sync(service, beta, ADMIN).json().get("outcome").asText()).isEqualTo("succeeded");

        ApiAnswer refused = sync(service, alpha, viewer);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_sync_run WHERE company_id = " + alpha)).isZero();
        assertThat(ministra.requestCount("GET", "tariffs")).isEqualTo(1);

        ApiAnswer synced = sync(service, alpha, manager);
        assertThat(synced.status()).isEqualTo(200);
        assertThat(synced.json().get("actor").asText()).isEqualTo("tom.manager");
        assertThat(sync(service, beta, manager).status()).isEqualTo(404);
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_sync_run WHERE company_id = " + beta)).isEqualTo(1);

        JsonNode visible = service.get("/tariffs", viewer).json();
        assertThat(visible).hasSize(2);
        assertThat(visible).allSatisfy(plan -> assertThat(plan.get("companyId").asLong()).isEqualTo(alpha));
        assertThat(service.get("/tariffs", ADMIN).json()).hasSize(4);
        assertThat(service.get("/tariffs?company=" + beta, viewer).status()).isEqualTo(404);
        assertThat(service.get("/tariffs?company=" + beta, ADMIN).json()).hasSize(2);
        assertThat(service.get("/tariffs?status=retired", viewer).status()).isEqualTo(400);

        List<Map<String, Object>> betaPlans = rows(database, "SELECT id FROM tariff_plan WHERE company_id = " + beta);
        for (Map<String, Object> plan : betaPlans) {
            ApiAnswer hidden = service.get("/tariffs/" + plan.get("id"), viewer);
            assertThat(hidden.status()).isEqualTo(404);
            assertThat(hidden.body()).doesNotContain("Premium").doesNotContain("Basic");
            assertThat(service.get("/tariffs/" + plan.get("id") + "/accounts", viewer).status()).isEqualTo(404);
            assertThat(service.get("/tariffs/" + plan.get("id"), ADMIN).status()).isEqualTo(200);
        }
        long alphaPlan = visible.get(0).get("id").asLong();
        assertThat(service.get("/tariffs/" + alphaPlan, viewer).status()).isEqualTo(200);
        JsonNode accounts = service.get("/tariffs/" + alphaPlan + "/accounts", viewer).json();
        assertThat(accounts.get("total").asLong()).isZero();
        assertThat(accounts.get("items")).isEmpty();
        assertThat(service.get("/tariffs/not-a-plan", viewer).status()).isEqualTo(404);
        assertThat(service.get("/tariffs/" + alphaPlan + "/accounts?limit=0", viewer).status()).isEqualTo(400);

        JsonNode runs = service.get("/tariffs/sync-runs", viewer).json();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("companyId").asLong()).isEqualTo(alpha);
        assertThat(runs.get(0).get("trigger").asText()).isEqualTo("user");
        assertThat(service.get("/tariffs/sync-runs?company=" + beta, viewer).status()).isEqualTo(404);
        assertThat(service.get("/tariffs/sync-runs", ADMIN).json()).hasSize(2);
        assertThat(service.get("/tariffs", null).status()).isEqualTo(401);
    }

    @Test
    void aDisabledCompanyIsNotSynced(MinistraSimulator ministra) {
        long company = companyOn(service, ministra, "Dormant Tariffs");
        assertThat(service.patch("/companies/" + company, ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);

        ApiAnswer answer = sync(service, company, ADMIN);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(ministra.requestCount("GET", "tariffs")).isZero();
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_sync_run WHERE company_id = " + company)).isZero();
    }
}
