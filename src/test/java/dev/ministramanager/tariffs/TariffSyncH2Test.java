package dev.ministramanager.tariffs;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static dev.ministramanager.tariffs.TariffFixtures.ADMIN;
import static dev.ministramanager.tariffs.TariffFixtures.catalogue;
import static dev.ministramanager.tariffs.TariffFixtures.companyOn;
import static dev.ministramanager.tariffs.TariffFixtures.count;
import static dev.ministramanager.tariffs.TariffFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Smoke test of the embedded default's database: the sync on H2, scheduled by Quartz's in-memory store. */
@ExtendWith(SimulatorExtension.class)
class TariffSyncH2Test {

    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(Map.of("mm.tariffs.sync-cron", "0/1 * * * * ?"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @Test
    void syncsOnDemandAndOnScheduleOnH2(MinistraSimulator ministra) throws Exception {
        long company = companyOn(service, ministra, "Embedded ISP");
        ministra.replaceCatalogue(catalogue("""
                {"id":1,"external_id":"basic","name":"Basic","user_default":1,"days_to_expires":0,
                 "packages":[{"id":1,"optional":0}]}"""));

        JsonNode run = sync(service, company, ADMIN).json();
        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_plan WHERE company_id = " + company
                + " AND days_to_expires = 0")).isEqualTo(1);

        eventually("two scheduled sync runs", () -> scheduledRuns(company) >= 2);
        assertThat(scheduledRuns(company)).isGreaterThanOrEqualTo(2);
        assertThat(service.get("/tariffs/sync-runs?company=" + company, ADMIN).json().get(0).get("trigger").asText())
                .isEqualTo("schedule");
    }

    private static long scheduledRuns(long company) {
        return count(database, "SELECT COUNT(*) FROM tariff_sync_run WHERE run_trigger = 'schedule' AND outcome ="
                + " 'succeeded' AND company_id = " + company);
    }
}
