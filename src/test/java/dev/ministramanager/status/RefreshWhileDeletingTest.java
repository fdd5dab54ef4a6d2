package dev.ministramanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

/**
 * Fleet refreshes racing with account deletes: an account removed (in Ministra, then from our database) while a
 * refresh stores what Ministra said of it must neither fail the refresh nor leave a snapshot behind.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class RefreshWhileDeletingTest {

    private static final int ACCOUNTS = 120;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static StatusFixture fixture;

    // small batches: a refresh stores many times, so deletes land between its read and its store
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.status.batch-max-url-bytes", "200",
            "mm.status.refresh-enabled", "false", "mm.accounts.push.poll-interval-ms", "20"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        fixture = new StatusFixture(service, database);
    }

    @Test
    void refreshesAnswerWhileAccountsAreDeletedAndKeepNoSnapshotOfThem(MinistraSimulator ministra) throws Exception {
        long company = fixture.company("Deleting ISP", ministra.apiBaseUrl());
        for (int i = 0; i < ACCOUNTS; i++) {
            fixture.ours(company, "d" + i, "30" + i, null);
            StatusFixture.inMinistra(ministra, "d" + i, "30" + i, null);
        }
        CompletableFuture<List<Integer>> deletes = CompletableFuture.supplyAsync(() -> {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i += 2) {
                statuses.add(service.delete("/accounts/d" + i + "?company=" + company, StatusFixture.ADMIN).status());
            }
            return statuses;
        });
        List<ApiAnswer> refreshes = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while ((!deletes.isDone() || remaining(company) > ACCOUNTS / 2) && Instant.now().isBefore(deadline)) {
            refreshes.add(service.post("/companies/" + company + "/status/refresh", StatusFixture.ADMIN, null));
        }

        assertThat(deletes.get()).hasSize(ACCOUNTS / 2).containsOnly(202);
        assertThat(refreshes).hasSizeGreaterThan(1)
                .allSatisfy(answer -> assertThat(answer.status()).as(answer.toString()).isEqualTo(200));
        assertThat(remaining(company)).as("accounts left after the deletes reached Ministra").isEqualTo(ACCOUNTS / 2);
        assertThat(ministra.accountsSnapshot()).hasSize(ACCOUNTS / 2);

        assertThat(service.post("/companies/" + company + "/status/refresh", StatusFixture.ADMIN, null).status())
                .isEqualTo(200);
        assertThat(fixture.number("SELECT COUNT(*) FROM account_remote_state WHERE company_id = ?", company))
                .as("one snapshot per remaining account").isEqualTo(ACCOUNTS / 2);
        assertThat(fixture.number("SELECT COUNT(*) FROM account_remote_state s JOIN account a ON a.id = s.account_id"
                + " WHERE s.company_id = ? AND s.found = TRUE AND a.login_key LIKE 'd%'", company))
                .isEqualTo(ACCOUNTS / 2);
    }

    private static long remaining(long company) {
        return fixture.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company);
    }
}
