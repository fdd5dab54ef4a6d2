package dev.ministramanager.console;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.HeadlessChromium;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's lists beyond their first page (accounts by cursor, a reconciliation run's findings) and the dead
 * letters' actions (discard one, replay in bulk), in headless Chromium against the real service, on both databases:
 * each test has a company of its own, so what one test stores is not in another's lists.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class ConsolePagingAndDeadLettersBrowserTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String PASSWORD = "paging pass phrase 9";
    /** The page size of the console's accounts list and of a run's findings. */
    private static final int PAGE = 50;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static String origin;
    private static Path profiles;
    private ConsoleBrowser console;
    private MinistraSimulator ministra;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.accounts.push.poll-interval-ms", "50",
            "mm.accounts.push.retry-initial-delay-ms", "100", "mm.accounts.push.max-attempts", "3",
            "mm.reconciliation.full-listing-enabled", "true"));

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled("ConsolePagingAndDeadLettersBrowserTest");
        database = FLOW.database();
        service = FLOW.service();
        origin = service.api("").toString().replace("/api/v1", "");
        ServiceFixture.userOfAllCompanies(service, "root.admin", "admin", PASSWORD);
        profiles = Files.createTempDirectory("console-paging");
    }

    @BeforeEach
    void openBrowser(MinistraSimulator simulator) throws Exception {
        ministra = simulator;
        console = ConsoleBrowser.start(origin, profiles);
        console.signIn("root.admin", PASSWORD);
    }

    @AfterEach
    void closeBrowser() {
        if (console != null) {
            console.close();
        }
    }

    /** A company of the test's own on the simulator, with its plans basic and premium. */
    private long company(String name) throws SQLException {
        long company = ServiceFixture.company(service, name, ministra.apiBaseUrl(), "");
        FLOW.seedPlans(company);
        return company;
    }

    @Test
    void theAccountsListPagesOnByCursorToTheFollowingAccountsAndBack() throws Exception {
        long company = company("Paging Cable");
        for (int i = 1; i <= PAGE + 5; i++) {
            ApiAnswer created = service.post("/accounts?company=" + company, ADMIN,
                    "{\"login\":\"page.%03d\",\"tariff\":\"basic\"}".formatted(i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        List<String> inOrder = column("SELECT login FROM account WHERE company_id = " + company + " ORDER BY id");
        console.open("/accounts?company=" + company);
        awaitRows(this::logins, inOrder.subList(0, PAGE));
        assertThat(console.driver().findElements(By.id("first-page"))).isEmpty();

        console.await(By.id("next-page")).click();
        awaitRows(this::logins, inOrder.subList(PAGE, PAGE + 5));
        assertThat(console.driver().getCurrentUrl()).contains("cursor=");
        assertThat(console.driver().findElements(By.id("next-page"))).isEmpty();

        console.await(By.id("first-page")).click();
        awaitRows(this::logins, inOrder.subList(0, PAGE));
        assertThat(console.driver().getCurrentUrl()).doesNotContain("cursor=");
    }

    @Test
    void aReconciliationRunsFindingsPageOnToTheFollowingFindingsAndBack() throws Exception {
        long company = company("Reconciled Cable");
        ministra.loadAccounts(PAGE + 10, "stray.");
        console.open("/reconciliation?company=" + company);
        console.await(By.id("field-fullListing")).click();
        console.driver().findElement(By.id("start-reconciliation")).click();
        console.waiting().until(driver -> driver.getCurrentUrl().contains("run="));
        console.awaitText(By.cssSelector("[data-kind='only_in_ministra']"), ": " + (PAGE + 10));
        String run = console.driver().getCurrentUrl().replaceAll(".*run=(\\d+).*", "$1");
        List<String> inOrder = column("SELECT login FROM reconciliation_finding WHERE run_id = " + run
                + " AND kind = 'only_in_ministra' ORDER BY id");
        assertThat(inOrder).hasSize(PAGE + 10);

        console.driver().findElement(By.cssSelector("[data-kind='only_in_ministra']")).click();
        awaitRows(this::findingLogins, inOrder.subList(0, PAGE));
        assertThat(console.driver().findElements(By.id("first-findings"))).isEmpty();

        console.await(By.id("next-findings")).click();
        awaitRows(this::findingLogins, inOrder.subList(PAGE, PAGE + 10));
        // the kind chosen stays chosen on the next page
        assertThat(console.driver().getCurrentUrl()).contains("after=").contains("kind=only_in_ministra");
        assertThat(console.driver().findElements(By.id("next-findings"))).isEmpty();
        screenshots("findings-second-page");

        console.await(By.id("first-findings")).click();
        awaitRows(this::findingLogins, inOrder.subList(0, PAGE));
        assertThat(console.driver().getCurrentUrl()).doesNotContain("after=").contains("kind=only_in_ministra");
    }

    @Test
    void anAdminDiscardsOneDeadLetterAfterConfirmingAndTheDiscardIsAudited() throws Exception {
        long company = company("Discarding Cable");
        deadAccounts(company, "discarded.one");
        console.open("/dead-letters?company=" + company);
        String openLetter = "SELECT COUNT(*) FROM dead_letter WHERE login = 'discarded.one' AND status = 'open'";
        // dismissed, nothing happens
        console.await(By.cssSelector("[data-discard='discarded.one']")).click();
        Alert confirm = console.waiting().until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("discarded.one").contains("given up");
        confirm.dismiss();
        assertThat(database.count(openLetter)).isEqualTo(1);

        console.await(By.cssSelector("[data-discard='discarded.one']")).click();
        console.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        console.awaitText(By.id("dead-letters-notice"), "Discarded the dead letter of discarded.one");
        assertThat(console.driver().findElements(By.cssSelector("[data-discard='discarded.one']"))).isEmpty();
        assertThat(database.count(openLetter)).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM dead_letter WHERE login = 'discarded.one'"
                + " AND status = 'discarded' AND resolved_by = 'root.admin'")).isEqualTo(1);
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE company_id = " + company
                + " AND subject_id = 'discarded.one' AND action = 'discard' AND actor = 'root.admin'"))
                .isEqualTo(1);
        assertThat(service.get("/accounts/discarded.one?company=" + company, ADMIN).json().path("sync")
                .path("state").asText()).isEqualTo("discarded");
        // the account's audit timeline shows who discarded it
        console.open("/accounts/discarded.one?company=" + company);
        assertThat(console.awaitText(By.tagName("main"), "discard")).contains("root.admin");
    }

    @Test
    void anAcceptedBulkReplayReportsHowManyItReplayedAndTheirPushesReachMinistra() throws Exception {
        long company = company("Replaying Cable");
        deadAccounts(company, "bulk.one", "bulk.two");
        // the cause fixed meanwhile: each gets a MAC of its own
        for (String login : List.of("bulk.one", "bulk.two")) {
            String mac = login.equals("bulk.one") ? "00:1A:79:0B:0B:01" : "00:1A:79:0B:0B:02";
            assertThat(service.patch("/accounts/" + login + "?company=" + company, ADMIN,
                    "{\"stbMac\":\"" + mac + "\"}").status()).isEqualTo(200);
        }
        console.open("/dead-letters?company=" + company);
        console.await(By.cssSelector("[data-replay='bulk.two']"));
        console.driver().findElement(By.id("bulk-replay")).click();
        Alert confirm = console.waiting().until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).isEqualTo("Replay 2 dead letters?");
        confirm.accept();

        assertThat(console.awaitText(By.id("bulk-replay-report"), "Replayed 2 of the 2 matching"))
                .doesNotContain("Not replayed");
        screenshots("dead-letters-bulk-replayed");
        assertThat(console.driver().findElements(By.cssSelector("[data-replay]"))).isEmpty();
        assertThat(database.count("SELECT COUNT(*) FROM dead_letter WHERE login IN ('bulk.one', 'bulk.two')"
                + " AND status = 'replayed' AND resolved_by = 'root.admin'")).isEqualTo(2);
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE company_id = " + company
                + " AND subject_id IN ('bulk.one', 'bulk.two') AND action = 'replay'")).isEqualTo(2);
        for (String login : List.of("bulk.one", "bulk.two")) {
            eventually(login + " in Ministra with its new MAC", () -> ministra.accountsSnapshot(),
                    rows -> rows.stream().anyMatch(row -> login.equals(row.get("login"))
                            && String.valueOf(row.get("stb_mac")).startsWith("00:1A:79:0B:0B:")));
        }
    }

    /** Accounts whose first push Ministra refuses (each box's MAC is another Ministra account's): dead letters. */
    private void deadAccounts(long company, String... logins) {
        ministra.loadAccounts(logins.length, "holder.");
        List<Map<String, Object>> holders = ministra.accountsSnapshot();
        for (int i = 0; i < logins.length; i++) {
            ApiAnswer created = service.post("/accounts?company=" + company, ADMIN, """
                    {"login":"%s","tariff":"basic","stbMac":"%s"}""".formatted(logins[i],
                    holders.get(i).get("stb_mac")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        for (String login : logins) {
            eventually(login + " dead-lettered", () -> service.get("/accounts/" + login + "?company=" + company,
                    ADMIN).json(), account -> "dead".equals(account.path("sync").path("state").asText()));
        }
    }

    /** Screenshots of the page as it is, at 1280 px and at phone width (390 px), neither wider than the window. */
    private void screenshots(String name) {
        for (int width : new int[] {390, 1280}) {
            console.driver().manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
            console.waiting().until(driver -> ((Number) console.script("return window.innerWidth")).intValue() <= width);
            assertThat(((Number) console.script("return document.documentElement.scrollWidth - window.innerWidth"))
                    .intValue()).as("%s at %d px: wider than the window by", name, width).isNotPositive();
            console.screenshot(name + "-" + width + ".png");
        }
    }

    /** Waits until the list shows exactly these rows (the page before may show meanwhile); else fails showing them. */
    private void awaitRows(Supplier<List<String>> shown, List<String> expected) {
        try {
            console.waiting().until(driver -> shown.get().equals(expected));
        } catch (TimeoutException e) {
            assertThat(shown.get()).isEqualTo(expected);
        }
    }

    /** The logins the accounts list shows, in its order. */
    private List<String> logins() {
        return texts("#accounts-results tbody td[data-label='Login']");
    }

    /** The logins of the findings a run's page shows, in its order. */
    private List<String> findingLogins() {
        return texts("main tbody td[data-label='Login']");
    }

    private List<String> texts(String selector) {
        return console.driver().findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
