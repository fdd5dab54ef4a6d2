package dev.ministramanager.tariffs;

import static dev.ministramanager.tariffs.TariffFixtures.companyOn;
import static dev.ministramanager.tariffs.TariffFixtures.count;
import static dev.ministramanager.tariffs.TariffFixtures.rows;
import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduled sync on a test schedule (every 2 s): two service nodes on one PostgreSQL database share Quartz's
 * clustered job store, and each firing syncs each company once, on one node. PostgreSQL only: on H2 Quartz keeps
 * its schedule in memory, one node (TariffSyncH2Test covers that schedule).
 */
@ExtendWith(SimulatorExtension.class)
class TariffScheduleTest {

    private static final Map<String, String> EVERY_TWO_SECONDS = Map.of(
            "mm.tariffs.sync-cron", "0/2 * * * * ?",
            "mm.tariffs.sync-time-zone", "Europe/Kyiv",
            "mm.scheduler.cluster-checkin-interval-ms", "1000");

    /** The first node, its database and the captured logs; the second node joins it on the same database. */
    @RegisterExtension
    static final ServiceFixture FIRST = ServiceFixture.onPostgres(EVERY_TWO_SECONDS).capturingLogs();

    private static ServiceUnderTest second;

    @BeforeAll
    static void startTheSecondNode() {
        second = ServiceUnderTest.start(FIRST.database(), EVERY_TWO_SECONDS);
    }

    @AfterAll
    static void stopTheSecondNode() {
        Resources.closeAll(second);
    }

    @Test
    void twoNodesOnOneDatabaseSyncEachCompanyOncePerFiring(MinistraSimulator ministra) {
        ServiceUnderTest first = FIRST.service();
        TestDatabase database = FIRST.database();
        long company = companyOn(first, ministra, "Scheduled ISP");
        ministra.reset();

        eventually("four scheduled runs finished", () -> finishedScheduledRuns(database, company) >= 4);
        second.close();
        first.close();

        List<Map<String, Object>> runs = rows(database, "SELECT scheduled_for, outcome, actor, created, unchanged"
                + " FROM tariff_sync_run WHERE company_id = " + company + " ORDER BY scheduled_for");
        assertThat(runs).hasSizeGreaterThanOrEqualTo(4);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.get("outcome")).isEqualTo("succeeded");
            assertThat(run.get("actor")).isEqualTo("scheduler");
        });
        assertThat(runs.stream().map(run -> run.get("scheduled_for")).distinct()).hasSameSizeAs(runs);
        assertThat(runs.get(0).get("created")).isEqualTo(2);
        assertThat(runs.get(runs.size() - 1).get("unchanged")).isEqualTo(2);
        assertThat(ministra.requestCount("GET", "tariffs")).isEqualTo(runs.size());
        assertThat(FIRST.logs().text()).doesNotContain("already ran");
        assertThat(count(database, "SELECT COUNT(DISTINCT instance_name) FROM qrtz_scheduler_state")).isEqualTo(2);
        assertThat(rows(database, "SELECT trigger_group, trigger_name, time_zone_id FROM qrtz_cron_triggers"
                + " WHERE trigger_group = 'tariffs'"))
                .containsExactly(Map.of("trigger_group", "tariffs", "trigger_name", "sync",
                        "time_zone_id", "Europe/Kyiv"));
        assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'tariff_sync' AND actor ="
                + " 'scheduler' AND company_id = " + company)).isEqualTo(runs.size());
    }

    private static long finishedScheduledRuns(TestDatabase database, long company) {
        return count(database, "SELECT COUNT(*) FROM tariff_sync_run WHERE run_trigger = 'schedule' AND"
                + " finished_at IS NOT NULL AND company_id = " + company);
    }
}
