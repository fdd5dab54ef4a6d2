package dev.ministramanager.status;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduled fleet refresh of {@code routes/status-refresh.camel.yaml}: timer, enabled companies, split, each
 * due company's run. A company whose Ministra cannot be reached is recorded as failed, and the others still run.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class ScheduledRefreshTest {

    private static final String MAC = "00:1A:79:00:00:31";

    // the schedule is started by hand once the companies exist
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.status.refresh-interval", "1s",
            "mm.status.refresh-initial-delay", "0", "mm.status.refresh-enabled", "false"));

    @Test
    void everyEnabledCompanyIsRefreshedOnScheduleEvenWhenOneFails(MinistraSimulator ministra) throws Exception {
        ServiceUnderTest service = FLOW.service();
        StatusFixture fixture = new StatusFixture(service, FLOW.database());
        long unreachable = fixture.company("Unreachable ISP", "http://127.0.0.1:9/stalker_portal/api/");
        long reachable = fixture.company("Reachable ISP", ministra.apiBaseUrl());
        fixture.ours(unreachable, "bob", "3102", "00:1A:79:00:00:32");
        long alice = fixture.ours(reachable, "alice", "3101", MAC);
        StatusFixture.inMinistra(ministra, "alice", "3101", MAC);

        service.camel().getRouteController().startRoute("status-refresh-schedule");

        eventually("a scheduled run of each company", () -> scheduledRuns(fixture, reachable, "ok") > 0
                && scheduledRuns(fixture, unreachable, "failed") > 0);
        assertThat(scheduledRuns(fixture, unreachable, "failed")).isPositive();
        assertThat(scheduledRuns(fixture, reachable, "ok")).isPositive();
        assertThat(fixture.number("SELECT COUNT(*) FROM account_remote_state WHERE account_id = ? AND found = TRUE",
                alice)).isEqualTo(1);
    }

    private static long scheduledRuns(StatusFixture fixture, long company, String outcome) {
        return fixture.number("SELECT COUNT(*) FROM status_refresh_run WHERE company_id = ? AND trigger_kind ="
                + " 'scheduled' AND outcome = ?", company, outcome);
    }
}
