package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded default's database: H2's claim statement (FINAL TABLE) and migrations push an account through. */
@ExtendWith(SimulatorExtension.class)
class AccountsOnH2Test {

    @Test
    void anAccountIsCreatedChangedAndDeletedInMinistra(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, AccountsFixture.fastPushes(Map.of()))) {
            long company = AccountsFixture.createCompany(service, ministra, "H2 ISP");
            AccountsFixture.seedPlans(database, company);
            assertThat(service.post("/accounts", ADMIN, """
                    {"login":"embedded","password":"pw-h2","tariff":"basic","stbMac":"00:1A:79:12:34:56"}""")
                    .status()).isEqualTo(201);
            AccountsFixture.awaitState(service, company, "embedded", "synced");
            assertThat(service.patch("/accounts/embedded", ADMIN, "{\"tariff\":\"premium\"}").status())
                    .isEqualTo(200);
            AccountsFixture.awaitState(service, company, "embedded", "synced");
            assertThat(AccountsFixture.ministraAccount(ministra, "embedded").orElseThrow())
                    .containsEntry("tariff_plan", "premium").containsEntry("stb_mac", "00:1A:79:12:34:56");
            assertThat(service.delete("/accounts/embedded", ADMIN).status()).isEqualTo(202);
            AccountsFixture.awaitCondition(() -> AccountsFixture.ministraAccount(ministra, "embedded").isEmpty(),
                    "the account removed from Ministra");
        }
    }
}
