package dev.ministramanager.tariffs;

import static dev.ministramanager.tariffs.TariffFixtures.ADMIN;
import static dev.ministramanager.tariffs.TariffFixtures.catalogue;
import static dev.ministramanager.tariffs.TariffFixtures.companyOn;
import static dev.ministramanager.tariffs.TariffFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;

import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one Ministra client never sends an account write with a tariff that is not an active plan of the company
 * (Ministra would silently use its default plan), nor an empty tariff_plan on PUT (an SQL error on the server).
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class KnownTariffGuardrailTest {

    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static ProducerTemplate client;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.tariffs.sync-cron", "0 0 0 1 1 ? 2099"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        client = service.camel().createProducerTemplate();
    }

    @Test
    void onlyActivePlansOfTheCompanyReachMinistra(MinistraSimulator ministra) {
        long company = companyOn(service, ministra, "Guarded ISP");
        long other = companyOn(service, ministra, "Other ISP");
        sync(service, company, ADMIN);
        ministra.replaceCatalogue(catalogue("""
                {"id":1,"external_id":"basic","name":"Basic","user_default":1,"packages":[{"id":1,"optional":0}]}""",
                """
                {"id":9,"external_id":"gold","name":"Gold","user_default":0,"packages":[{"id":1,"optional":0}]}"""));
        sync(service, other, ADMIN);
        ministra.replaceCatalogue(catalogue("""
                {"id":1,"external_id":"basic","name":"Basic","user_default":1,"packages":[{"id":1,"optional":0}]}"""));
        assertThat(sync(service, company, ADMIN).json().get("counts").get("archived").asInt()).isEqualTo(1);

        assertRefused(write(company, "POST", List.of(), "tariff_plan", "no_such_tariff"), "no_such_tariff");
        assertRefused(write(company, "PUT", List.of("alice"), "tariff_plan", "premium"), "premium");
        assertRefused(write(company, "PUT", List.of("alice"), "tariff_plan", "gold"), "gold");
        assertRefused(write(company, "PUT", List.of("alice"), "tariff_plan", ""), "empty tariff_plan");
        assertRefused(write(company, "PUT", List.of("alice"), "tariff_instead_expired", "premium"), "premium");
        assertRefused(write(other, "PUT", List.of("alice"), "tariff_plan", "premium"), "premium");
        assertThat(ministra.writeLog()).isEmpty();

        send(write(company, "POST", List.of(), "tariff_plan", "basic"));
        send(write(company, "PUT", List.of("alice"), "tariff_instead_expired", ""));
        send(write(other, "PUT", List.of("alice"), "tariff_plan", "gold"));
        assertThat(ministra.writeLog()).hasSize(3);
        assertThat(ministra.writeLog().get(0).form()).containsEntry("tariff_plan", List.of("basic"));
    }

    private static MinistraRequest write(long company, String method, List<String> ids, String field, String plan) {
        return MinistraRequest.write(company, method, "accounts", ids, Map.of("login", List.of("alice"),
                "account_number", List.of("1"), field, List.of(plan)));
    }

    private static void assertRefused(MinistraRequest request, String mentioned) {
        Throwable thrown = catchThrowable(() -> send(request));
        assertThat(thrown).isInstanceOf(CamelExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(MinistraFailure.class).hasMessageContaining(mentioned);
        assertThat(((MinistraFailure) thrown.getCause()).kind()).isEqualTo(MinistraFailure.Kind.REFUSED_BY_GUARDRAIL);
    }

    private static MinistraResult send(MinistraRequest request) {
        try {
            return client.requestBody("direct:ministra-call", request, MinistraResult.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof MinistraFailure failure && failure.kind() == MinistraFailure.Kind.REJECTED) {
                return null;
            }
            throw e;
        }
    }
}
