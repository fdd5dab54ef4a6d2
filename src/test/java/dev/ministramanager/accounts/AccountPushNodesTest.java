package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.simulator.WriteLogEntry;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several service nodes on one PostgreSQL database (PostgreSQL only: the embedded H2 default is one node), and a
 * node that dies in the middle of its pushes (on both databases).
 */
@ExtendWith(SimulatorExtension.class)
class AccountPushNodesTest {

    @Test
    void twoNodesShareTheWorkWithoutEverPushingOneAccountTwiceAtOnce(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest first = ServiceUnderTest.start(database, AccountsFixture.fastPushes(
                     Map.of("mm.accounts.push.workers", "4")));
             ServiceUnderTest second = ServiceUnderTest.start(database, AccountsFixture.fastPushes(
                     Map.of("mm.accounts.push.workers", "4")))) {
            long company = AccountsFixture.createCompany(first, ministra, "Two Nodes ISP");
            AccountsFixture.seedPlans(database, company);
            ministra.faults().add(Fault.latency(Duration.ofMillis(25), Duration.ofMillis(10)));

            Set<String> owners = ConcurrentHashMap.newKeySet();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sampleLeaseOwners(database, owners, sampling));
            sampler.start();
            int accounts = 60;
            for (int i = 0; i < accounts; i++) {
                ServiceUnderTest node = i % 2 == 0 ? first : second;
                assertThat(node.post("/accounts?company=" + company, ADMIN,
                        "{\"login\":\"n" + i + "\",\"tariff\":\"basic\"}").status()).isEqualTo(201);
            }
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < accounts; i += 3) {
                    ServiceUnderTest node = round % 2 == 0 ? first : second;
                    assertThat(node.patch("/accounts/n" + i + "?company=" + company, ADMIN,
                            "{\"fullName\":\"Round " + round + "\"}").status()).isEqualTo(200);
                }
            }
            for (int i = 0; i < accounts; i++) {
                AccountsFixture.awaitState(first, company, "n" + i, "synced");
            }
            sampling.set(false);
            sampler.join();

            List<WriteLogEntry> writes = ministra.writeLog();
            assertThat(writes).allMatch(WriteLogEntry::succeeded);
            Map<String, Long> createsPerLogin = writes.stream().filter(w -> w.isFor("POST", "accounts"))
                    .collect(Collectors.groupingBy(w -> w.field("login"), Collectors.counting()));
            assertThat(createsPerLogin).hasSize(accounts).allSatisfy((login, count) -> assertThat(count).isOne());
            assertThat(writes).noneMatch(WriteLogEntry::isBroadcast);
            assertThat(ministra.accountsSnapshot()).hasSize(accounts);
            for (int i = 0; i < accounts; i += 3) {
                assertThat(AccountsFixture.ministraAccount(ministra, "n" + i).orElseThrow())
                        .containsEntry("full_name", "Round 3");
            }
            assertThat(owners).as("both nodes claimed pushes").hasSize(2);
        }
    }

    @Test
    @OnBothDatabases
    void aNodeThatDiesMidPushLosesNothing(MinistraSimulator ministra) throws Exception {
        Map<String, String> shortLease = AccountsFixture.fastPushes(Map.of("mm.accounts.push.workers", "4",
                "mm.accounts.push.lease-seconds", "2", "camel.main.shutdown-timeout", "1"));
        try (TestDatabase database = TestDatabase.forFlows()) {
            long company;
            int accounts = 12;
            ServiceUnderTest dying = ServiceUnderTest.start(database, shortLease);
            try {
                company = AccountsFixture.createCompany(dying, ministra, "Crash ISP");
                AccountsFixture.seedPlans(database, company);
                // Ministra executes the creates but answers only after the node is gone
                ministra.faults().add(Fault.slowResponse(Duration.ofSeconds(4)).forMethod("POST"));
                for (int i = 0; i < accounts; i++) {
                    assertThat(dying.post("/accounts?company=" + company, ADMIN, """
                            {"login":"c%d","password":"pw-%d","fullName":"Crash %d","tariff":"premium"}"""
                            .formatted(i, i, i)).status()).isEqualTo(201);
                }
                AccountsFixture.awaitCondition(() -> ministra.accountsSnapshot().size() >= 4,
                        "Ministra executing the first creates");
            } finally {
                dying.close();
            }
            assertThat(ministra.accountsSnapshot().size()).isLessThan(accounts);
            ministra.faults().clear();

            try (ServiceUnderTest restarted = ServiceUnderTest.start(database, shortLease)) {
                for (int i = 0; i < accounts; i++) {
                    AccountsFixture.awaitState(restarted, company, "c" + i, "synced");
                }
            }
            assertThat(ministra.accountsSnapshot()).hasSize(accounts);
            for (int i = 0; i < accounts; i++) {
                assertThat(AccountsFixture.ministraAccount(ministra, "c" + i).orElseThrow())
                        .containsEntry("full_name", "Crash " + i).containsEntry("tariff_plan", "premium")
                        .containsEntry("password_set", true);
            }
            List<WriteLogEntry> creates = ministra.writeLog().stream().filter(w -> w.isFor("POST", "accounts"))
                    .filter(WriteLogEntry::succeeded).toList();
            assertThat(creates).extracting(w -> w.field("login")).doesNotHaveDuplicates().hasSize(accounts);
            assertThat(ministra.writeLog()).noneMatch(WriteLogEntry::isBroadcast);
        }
    }

    private static void sampleLeaseOwners(TestDatabase database, Set<String> owners, AtomicBoolean sampling) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            while (sampling.get()) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT DISTINCT lease_owner FROM account_push WHERE lease_owner IS NOT NULL")) {
                    while (rows.next()) {
                        owners.add(rows.getString(1));
                    }
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
