package dev.ministramanager.console;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ministramanager.simulator.DeviceEvent;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.HeadlessChromium;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium) against
 * the real service on PostgreSQL and the Ministra simulator over HTTP. Skipped, with the reason printed, only where
 * no Chromium is installed. Writes screenshots to target/console-screenshots (README shows copies under docs/).
 * On PostgreSQL only: the console is a client of the public API, whose every flow these pages use is tested on both
 * databases by its own test class; the console's own server part, the cookie session, runs on H2 in
 * {@link ConsoleSessionOnH2Test}; a second browser run would double the suite's slowest class for nothing new. The
 * lists' later pages and the dead letters' actions run in the browser on both databases:
 * {@link ConsolePagingAndDeadLettersBrowserTest}.
 */
@ExtendWith(SimulatorExtension.class)
class ConsoleBrowserTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String PASSWORD = "browser pass phrase 7";
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long company;
    private static String origin;
    private static Path profiles;
    private ConsoleBrowser console;
    private WebDriver browser;
    private WebDriverWait waiting;
    private MinistraSimulator ministra;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onPostgres(Map.of("mm.accounts.push.poll-interval-ms", "50",
            "mm.accounts.push.retry-initial-delay-ms", "100", "mm.accounts.push.max-attempts", "3",
            "mm.db.pool-size", "10", "mm.reconciliation.full-listing-enabled", "true"));

    @BeforeAll
    static void start(MinistraSimulator simulator) throws Exception {
        HeadlessChromium.requireInstalled("ConsoleBrowserTest");
        database = FLOW.database();
        service = FLOW.service();
        origin = service.api("").toString().replace("/api/v1", "");
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"Browser ISP","ministraBaseUrl":"%s","ministraUser":"ministra",
                 "ministraPassword":"ministra-secret"}""".formatted(simulator.apiBaseUrl()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        company = created.json().get("id").asLong();
        assertThat(service.post("/companies/" + company + "/tariffs/sync", ADMIN, null).json().get("outcome")
                .asText()).isEqualTo("succeeded");
        ServiceFixture.userWithPassword(service, "ada.admin", "admin", PASSWORD, company);
        ServiceFixture.userWithPassword(service, "vic.viewer", "viewer", PASSWORD, company);
        ServiceFixture.userWithPassword(service, "max.manager", "manager", PASSWORD, company);
        // creating companies is for admins of all companies
        ServiceFixture.userOfAllCompanies(service, "root.admin", "admin", PASSWORD);
        profiles = Files.createTempDirectory("console-browser");
    }

    @BeforeEach
    void openBrowser(MinistraSimulator simulator) throws IOException {
        ministra = simulator;
        console = ConsoleBrowser.start(origin, profiles);
        browser = console.driver();
        waiting = console.waiting();
    }

    @AfterEach
    void closeBrowser() {
        if (console != null) {
            console.close();
        }
    }

    private void signIn(String username) {
        console.signIn(username, PASSWORD);
    }

    private void open(String hash) {
        console.open(hash);
    }

    private WebElement await(By locator) {
        return console.await(locator);
    }

    private String awaitText(By locator, String contained) {
        return console.awaitText(locator, contained);
    }

    @Test
    void provisionShowsThePasswordOnceAndTheAccountReachesMinistra() throws Exception {
        signIn("max.manager");
        open("/provision?company=" + company);
        // the API's problem is shown beside the field it names, and nothing is stored
        await(By.id("field-login")).sendKeys("bad login");
        browser.findElement(By.id("provision-submit")).click();
        awaitText(By.id("problem-login"), "login");
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login LIKE 'bad%'")).isZero();
        browser.findElement(By.id("field-login")).clear();
        browser.findElement(By.id("field-login")).sendKeys("web.provisioned");
        browser.findElement(By.id("field-fullName")).sendKeys("Web Provisioned");
        browser.findElement(By.id("field-stbMac")).sendKeys("00:1A:79:");
        awaitText(By.id("problem-stbMac"), "00:1A:79:12:34:56");
        browser.findElement(By.id("field-stbMac")).sendKeys("0B:0C:0D");
        waiting.until(ExpectedConditions.textToBe(By.id("problem-stbMac"), ""));
        browser.findElement(By.id("provision-submit")).click();

        String password = await(By.id("generated-password")).getText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);
        awaitText(By.id("provision-outcome"), "is in Ministra");
        Optional<Map<String, Object>> inMinistra = ministra.accountsSnapshot().stream()
                .filter(row -> "web.provisioned".equals(row.get("login"))).findFirst();
        assertThat(inMinistra).isPresent();
        assertThat(inMinistra.get().get("stb_mac")).isEqualTo("00:1A:79:0B:0C:0D");
        assertThat(ministra.passwordHash("web.provisioned")).isNotBlank();

        browser.findElement(By.id("open-account")).click();
        await(By.id("account-form"));
        assertThat(awaitText(By.tagName("main"), "web.provisioned")).doesNotContain(password);
        browser.navigate().refresh();
        await(By.id("account-form"));
        assertThat(browser.getPageSource()).doesNotContain(password);
    }

    @Test
    void aCompanyCreatedAfterSignInJoinsThePickerWhenALinkNamesIt(MinistraSimulator simulator) {
        signIn("root.admin");
        open("/accounts?company=" + company);
        waiting.until(ExpectedConditions.attributeToBe(By.id("company-picker"), "value", String.valueOf(company)));
        // another operator (or billing, through the API) adds a company while this one is signed in
        long later = ServiceFixture.company(service, "Later ISP", simulator.apiBaseUrl(), "");
        open("/accounts?company=" + later);
        waiting.until(ExpectedConditions.attributeToBe(By.id("company-picker"), "value", String.valueOf(later)));
        assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("company-picker")))
                .getFirstSelectedOption().getText()).isEqualTo("Later ISP");
    }

    @Test
    void theDashboardShowsTheCompanysFiguresAndCharts() throws Exception {
        for (int i = 1; i <= 3; i++) {
            provisionByApi("dash." + i, null, "Dashboard Subscriber " + i);
        }
        service.camel().getRegistry().lookupByNameAndType("dashboard", dev.ministramanager.dashboard.Dashboard.class)
                .sample();
        JsonNode tested = service.post("/companies/" + company + "/test-connection", ADMIN, null).json();
        assertThat(tested.get("outcome").asText()).isEqualTo("ok");
        signIn("ada.admin");
        open("/dashboard?company=" + company);
        String reachability = awaitText(By.cssSelector("[data-ministra='" + company + "']"), " ms");
        assertThat(reachability).contains("Browser ISP").contains("reachable").doesNotContain("unreachable");
        long synced = database.count("SELECT COUNT(*) FROM account_push p JOIN account a ON a.id = p.account_id"
                + " WHERE p.state = 'synced' AND a.deleted_at IS NULL AND a.company_id = " + company);
        assertThat(synced).isGreaterThanOrEqualTo(3);
        waiting.until(driver -> driver.findElement(By.cssSelector("[data-count='synced']")).getText()
                .equals(String.valueOf(synced)));
        // tall enough for README's picture to show the charts under the figures
        browser.manage().window().setSize(new Dimension(1280, 1100));
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".chart canvas"), 2));
        screenshot("console-dashboard.png");
        // every file the page loaded (modules, stylesheets, the chart library, API calls) came from the service
        assertThat(script("return performance.getEntriesByType('navigation')"
                + ".concat(performance.getEntriesByType('resource')).map(entry => entry.name)"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isNotEmpty()
                .allSatisfy(url -> assertThat((String) url).startsWith(origin + "/"));
        // live: an account synced meanwhile shows without reloading the page (the dashboard polls every 5 s)
        script("window.notReloaded = true");
        provisionByApi("dash.live", null, null);
        waiting.until(driver -> driver.findElement(By.cssSelector("[data-count='synced']")).getText()
                .equals(String.valueOf(synced + 1)));
        assertThat(script("return window.notReloaded"))
                .isEqualTo(true);
    }

    @Test
    void theDashboardsChartsFollowTheWindowsWidthAndItsLiveStreamIsAccepted() {
        // every event stream the page opens, and whether it opened (a type the server does not know is a 400)
        ((ChromiumDriver) browser).executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                        window.openedStreams = [];
                        const Original = window.EventSource;
                        window.EventSource = class extends Original {
                          constructor(...args) {
                            super(...args);
                            this.addEventListener('open', () => window.openedStreams.push(this.url));
                          }
                        };"""));
        signIn("ada.admin");
        open("/dashboard?company=" + company);
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".chart canvas"), 2));
        waiting.until(driver -> ((List<?>) script("return window.openedStreams")).stream()
                .anyMatch(url -> ((String) url).contains("company=" + company)));
        // the charts as drawn at 1280 px, marked: a redraw keeps its chart (a chart drawn anew would be unmarked)
        int wide = chartsOnceTheyFitTheirBoxes().get(0);
        script("document.querySelectorAll('.chart canvas').forEach(canvas => canvas.dataset.first = 'yes');"
                + " window.chartsMarked = true");
        browser.manage().window().setSize(new Dimension(390, 844));
        int narrow = chartsOnceTheyFitTheirBoxes().get(0);
        assertThat(narrow).isLessThan(400).isLessThan(wide);
        script("document.querySelector('.charts').scrollIntoView()");
        screenshot("dashboard-charts-resized-390.png");
        browser.manage().window().setSize(new Dimension(1280, 900));
        assertThat(chartsOnceTheyFitTheirBoxes()).containsOnly(wide);
    }

    /**
     * Waits until each chart is drawn exactly as wide as its box (its figure less the padding), the same chart as
     * first drawn, with nothing scrolling sideways; answers the charts' widths.
     */
    private List<Integer> chartsOnceTheyFitTheirBoxes() {
        return waiting.until(driver -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> charts = (List<Map<String, Object>>)
                    script("return [...document.querySelectorAll('main .chart')].map(figure => {"
                    + " const canvas = figure.querySelector('canvas'); return {box: figure.clientWidth - 16,"
                    + " drawn: Math.round(canvas.getBoundingClientRect().width),"
                    + " scrolls: figure.scrollWidth > figure.clientWidth,"
                    + " first: !window.chartsMarked || canvas.dataset.first === 'yes',"
                    + " pageOverflow: document.documentElement.scrollWidth > window.innerWidth}; })");
            boolean fit = charts.size() == 2 && charts.stream().allMatch(chart -> chart.get("box")
                    .equals(chart.get("drawn")) && Boolean.FALSE.equals(chart.get("scrolls")) && Boolean.TRUE.equals(chart.get("first"))
                    && Boolean.FALSE.equals(chart.get("pageOverflow")));
            return fit ? charts.stream().map(chart -> ((Number) chart.get("drawn")).intValue()).toList() : null;
        });
    }

    @Test
    void anAdminCreatesAndEditsACompanyAndTestsItsConnection() {
        signIn("root.admin");
        open("/companies");
        await(By.id("company-form"));
        browser.findElement(By.id("field-name")).sendKeys("Console Cable");
        browser.findElement(By.id("field-ministraBaseUrl")).sendKeys("ftp://not-ministra.example");
        browser.findElement(By.id("field-ministraUser")).sendKeys("ministra");
        browser.findElement(By.id("field-ministraPassword")).sendKeys("ministra-secret");
        browser.findElement(By.id("field-sharedMinistra")).click();
        browser.findElement(By.cssSelector("#company-form button[type='submit']")).click();
        // the API's problem appears beside the field it names, and nothing is stored
        awaitText(By.id("problem-ministraBaseUrl"), "ministraBaseUrl");
        assertThat(browser.findElement(By.id("field-ministraBaseUrl")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(database.count("SELECT COUNT(*) FROM company WHERE name = 'Console Cable'")).isZero();

        browser.findElement(By.id("field-ministraBaseUrl")).clear();
        browser.findElement(By.id("field-ministraBaseUrl")).sendKeys(ministra.apiBaseUrl());
        browser.findElement(By.cssSelector("#company-form button[type='submit']")).click();
        awaitText(By.id("company-notice"), "Console Cable created");
        long created = database.count("SELECT id FROM company WHERE name = 'Console Cable'");
        assertThat(browser.getCurrentUrl()).contains("#/companies/" + created);

        // edit: the password left empty keeps the stored one, so the connection test still passes
        WebElement name = await(By.cssSelector("#company-edit-form #field-name"));
        name.clear();
        name.sendKeys("Console Cable North");
        browser.findElement(By.cssSelector("#company-edit-form #field-readTimeoutMs")).clear();
        browser.findElement(By.cssSelector("#company-edit-form #field-readTimeoutMs")).sendKeys("7000");
        browser.findElement(By.cssSelector("#company-edit-form button[type='submit']")).click();
        awaitText(By.id("company-notice"), "Saved");
        assertThat(database.count("SELECT COUNT(*) FROM company WHERE id = " + created
                + " AND name = 'Console Cable North' AND read_timeout_ms = 7000")).isEqualTo(1);
        await(By.cssSelector("[data-test-connection='" + created + "']")).click();
        waiting.until(ExpectedConditions.attributeToBe(By.cssSelector("#company-notice [data-test-outcome]"),
                "data-test-outcome", "ok"));
        assertThat(awaitText(By.id("company-notice"), " ms")).contains("tariff plan(s)");

        // a wrong password: the classified result, not a generic error
        ministra.faults().add(Fault.unauthorized().forResource("tariffs").times(1));
        browser.findElement(By.cssSelector("[data-test-connection='" + created + "']")).click();
        waiting.until(ExpectedConditions.attributeToBe(By.cssSelector("#company-notice [data-test-outcome]"),
                "data-test-outcome", "authentication_failed"));
        assertThat(awaitText(By.id("company-notice"), "authentication failed")).doesNotContain("ministra-secret");
    }

    @Test
    void anAdminCreatesAndEditsAnApiUserAndIssuesAToken() {
        signIn("ada.admin");
        open("/users");
        await(By.id("user-form"));
        browser.findElement(By.id("field-username")).sendKeys("new.operator");
        browser.findElement(By.id("field-password")).sendKeys("short");
        browser.findElement(By.cssSelector("#user-form [data-company='" + company + "']")).click();
        browser.findElement(By.cssSelector("#user-form button[type='submit']")).click();
        awaitText(By.id("problem-password"), "12");
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'new.operator'")).isZero();

        browser.findElement(By.id("field-password")).clear();
        browser.findElement(By.id("field-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#user-form button[type='submit']")).click();
        String token = waiting.until(driver -> {
            String shown = driver.findElement(By.id("new-token")).getText();
            return shown.isBlank() ? null : shown;
        });
        assertThat(service.get("/companies", token).status()).isEqualTo(200);

        await(By.cssSelector("[data-edit='new.operator']")).click();
        await(By.id("user-edit-form"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("field-role"))).selectByValue("manager");
        browser.findElement(By.cssSelector("#user-edit-form button[type='submit']")).click();
        awaitText(By.id("user-notice"), "Saved");
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'new.operator'"
                + " AND role = 'manager'")).isEqualTo(1);
        // a new token is shown once; the old one stops working
        browser.findElement(By.cssSelector("[data-token='new.operator']")).click();
        String oldToken = token;
        String rotated = waiting.until(driver -> {
            String shown = driver.findElement(By.id("new-token")).getText();
            return shown.isBlank() || shown.equals(oldToken) ? null : shown;
        });
        assertThat(service.get("/companies", rotated).status()).isEqualTo(200);
        assertThat(service.get("/companies", oldToken).status()).isEqualTo(401);
        // the console keeps no token anywhere a script could read it
        assertThat(script("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
        assertThat((String) script("return document.cookie")).doesNotContain(rotated);
        browser.navigate().refresh();
        await(By.id("user-edit-form"));
        assertThat(browser.getPageSource()).doesNotContain(rotated);
    }

    @Test
    void aReconciliationRunShowsFindingsByKindAndAdoptsAMinistraOnlyRow() {
        // two rows only Ministra has; the second is adopted (the first one's MAC is another test's "taken" MAC)
        ministra.loadAccounts(2, "orphan.");
        signIn("max.manager");
        open("/reconciliation?company=" + company);
        await(By.id("field-fullListing")).click();
        browser.findElement(By.id("start-reconciliation")).click();
        waiting.until(driver -> driver.getCurrentUrl().contains("run="));
        String onlyThere = awaitText(By.cssSelector("[data-kind='only_in_ministra']"), "only in Ministra");
        assertThat(onlyThere).endsWith(": 2");
        browser.findElement(By.cssSelector("[data-kind='only_in_ministra']")).click();
        waiting.until(driver -> driver.getCurrentUrl().contains("kind=only_in_ministra"));
        await(By.cssSelector("[data-adopt='orphan.2']")).click();

        awaitText(By.id("reconciliation-notice"), "orphan.2");
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'orphan.2' AND company_id = " + company))
                .isEqualTo(1);
        waiting.until(driver -> driver.findElements(By.cssSelector("[data-adopt='orphan.2']")).isEmpty());
        assertThat(awaitText(By.tagName("main"), "orphan.2")).contains("adopted");
    }

    @Test
    void rebootFromTheAccountPageReachesTheBoxQueue() {
        String mac = "00:1A:79:0E:0E:01";
        provisionByApi("boxed.user", mac, null);
        ministra.devices().register(mac, "SN-WEB", "MAG322", "2.20", "10.0.0.9");
        signIn("max.manager");
        open("/accounts/boxed.user?company=" + company);
        await(By.cssSelector("[data-command='reboot']")).click();

        awaitText(By.id("account-notice"), mac);
        assertThat(ministra.devices().pendingEvents(mac)).extracting(DeviceEvent::event).containsExactly("reboot");
        // a manager changes accounts but does not delete them, nor manage companies, users or dead letters
        assertThat(browser.findElements(By.id("account-actions"))).hasSize(1);
        assertThat(browser.findElements(By.id("delete-account"))).isEmpty();
        assertThat(awaitText(By.tagName("nav"), "Quick provision")).doesNotContain("Dead letters")
                .doesNotContain("Companies").doesNotContain("API users");
        open("/dead-letters?company=" + company);
        assertThat(awaitText(By.tagName("main"), "admin role")).doesNotContain("Replay");
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/accounts/boxed.user?company=" + company);
        await(By.id("account-form"));
        screenshot("console-account-phone.png");
    }

    @Test
    void aManagerSyncsTariffPlansAndSeesAFailedRunWithItsClassifiedError() {
        String failedRuns = "SELECT COUNT(*) FROM tariff_sync_run WHERE outcome = 'failed'"
                + " AND error_kind = 'authentication_failed' AND company_id = " + company;
        long before = database.count(failedRuns);
        signIn("max.manager");
        open("/tariffs?company=" + company);
        ministra.faults().add(Fault.unauthorized().forResource("tariffs").times(1));
        await(By.id("sync-tariffs")).click();

        awaitText(By.tagName("main"), "Sync now: failed");
        assertThat(awaitText(By.tagName("main"), "authentication_failed")).contains("failed");
        assertThat(database.count(failedRuns)).isEqualTo(before + 1);
        // nothing changed: the plans are still listed
        await(By.cssSelector("[data-tariff-accounts='basic']"));
    }

    @Test
    void aStaleEditIsRefusedAndExplained() {
        provisionByApi("edited.twice", null, "First Name");
        signIn("max.manager");
        open("/accounts/edited.twice?company=" + company);
        WebElement name = await(By.id("field-fullName"));
        // meanwhile someone else changes the account
        assertThat(service.patch("/accounts/edited.twice?company=" + company, ADMIN, "{\"phone\":\"+355 4 222\"}")
                .status()).isEqualTo(200);
        name.clear();
        name.sendKeys("Stale Name");
        browser.findElement(By.id("save-account")).click();

        awaitText(By.id("account-notice"), "changed this account");
        waiting.until(ExpectedConditions.attributeToBe(By.id("field-phone"), "value", "+355 4 222"));
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'edited.twice'"
                + " AND full_name = 'First Name'")).isEqualTo(1);
    }

    @Test
    void aViewerSeesNoChangeButtons() {
        provisionByApi("seen.only", "00:1A:79:0E:0E:02", null);
        signIn("vic.viewer");
        open("/accounts/seen.only?company=" + company);
        await(By.id("account-form"));
        assertThat(browser.findElements(By.id("account-actions"))).isEmpty();
        assertThat(browser.findElements(By.id("save-account"))).isEmpty();
        assertThat(browser.findElements(By.id("stb-commands"))).isEmpty();
        assertThat(await(By.id("field-fullName")).getAttribute("readonly")).isNotNull();
        assertThat(awaitText(By.tagName("nav"), "Accounts")).doesNotContain("Quick provision")
                .doesNotContain("Dead letters").doesNotContain("API users");
        // the tariff plans, each with its active-account count linking to the accounts on that plan
        open("/tariffs?company=" + company);
        await(By.cssSelector("[data-tariff-accounts='basic']")).click();
        waiting.until(driver -> driver.getCurrentUrl().contains("tariff=basic"));
        assertThat(awaitText(By.id("accounts-results"), "seen.only")).doesNotContain("Nothing found");
        assertThat(browser.findElements(By.id("sync-tariffs"))).isEmpty();
        // on every page a viewer may open, the only buttons search, show or sign out
        for (String page : new String[] {"/dashboard", "/accounts", "/accounts/seen.only", "/tariffs",
            "/reconciliation"}) {
            open(page + "?company=" + company);
            await(By.cssSelector("main h1"));
            assertThat(browser.findElements(By.cssSelector("main button"))).as(page)
                    .extracting(WebElement::getText).isSubsetOf("Search", "Show");
        }
    }

    @Test
    void anAdminReplaysADeadLetter() throws Exception {
        ministra.loadAccounts(1, "foreign");
        String takenMac = (String) ministra.accountsSnapshot().get(0).get("stb_mac");
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"dead.one","tariff":"basic","stbMac":"%s","password":"dead one secret 1"}"""
                .formatted(takenMac)).status())
                .isEqualTo(201);
        awaitSyncState("dead.one", "dead");
        assertThat(service.patch("/accounts/dead.one?company=" + company, ADMIN,
                "{\"stbMac\":\"00:1A:79:0D:0D:0D\"}").status()).isEqualTo(200);

        signIn("ada.admin");
        open("/dead-letters?company=" + company);
        WebElement replay = await(By.cssSelector("[data-replay='dead.one']"));
        // Ministra's answer opens the row's details, with the request it refused, the password masked
        WebElement details = browser.findElement(By.cssSelector("#main details"));
        assertThat(details.findElement(By.tagName("summary")).getText()).isNotBlank();
        details.findElement(By.tagName("summary")).click();
        assertThat(awaitText(By.cssSelector("#main details pre"), "dead.one")).doesNotContain("dead one secret 1");
        assertThat(browser.getPageSource()).doesNotContain("dead one secret 1");
        // the bulk replay asks first, with the count; dismissed, nothing is replayed
        browser.findElement(By.id("bulk-replay")).click();
        org.openqa.selenium.Alert confirm = waiting.until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).isEqualTo("Replay 1 dead letter?");
        confirm.dismiss();
        assertThat(database.count("SELECT COUNT(*) FROM dead_letter WHERE login = 'dead.one' AND status = 'open'"))
                .isEqualTo(1);
        replay.click();

        awaitSyncState("dead.one", "synced");
        assertThat(ministra.accountsSnapshot()).anySatisfy(row -> {
            assertThat(row.get("login")).isEqualTo("dead.one");
            assertThat(row.get("stb_mac")).isEqualTo("00:1A:79:0D:0D:0D");
        });
        assertThat(database.count("SELECT COUNT(*) FROM dead_letter WHERE login = 'dead.one' AND status = 'replayed'"))
                .isEqualTo(1);
        await(By.id("dead-letters-notice"));
    }

    @Test
    void aManagerChecksAndImportsABillingExportAndWatchesItsProgress() throws Exception {
        Path export = Files.createTempFile(profiles, "billing", ".csv");
        Files.writeString(export, "login;fullName;tariff;status;stbMac;packages\n"
                + "imp.one;Imp One;basic;active;;sport\n"
                + "imp.bad;Imp Bad;basic;active;00:1A:79:ZZ:00:02;\n");
        signIn("max.manager");
        open("/imports?company=" + company);
        await(By.id("field-file")).sendKeys(export.toString());
        browser.findElement(By.id("csv-check")).click();
        // the dry run: the bad row by its line and field, nothing stored yet
        assertThat(awaitText(By.id("import-check"), "stbMac")).contains("3");
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login LIKE 'imp.%'")).isZero();
        // the counts are a row of figures, and one row to import is "1 row"
        assertThat(browser.findElements(By.cssSelector("#import-counts dd")))
                .extracting(figure -> figure.getLocation().getY()).hasSizeGreaterThan(2).containsOnly(
                        browser.findElement(By.cssSelector("#import-counts dd")).getLocation().getY());
        assertThat(await(By.id("csv-run")).getText()).isEqualTo("Import 1 row");
        screenshot("imports-checked.png");
        browser.manage().window().setSize(new Dimension(390, 844));
        assertThat(browser.findElement(By.id("csv-run")).isDisplayed()).isTrue();
        screenshot("imports-checked-phone.png");
        browser.manage().window().setSize(new Dimension(1280, 900));
        await(By.id("csv-run")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"), "succeeded"));
        await(By.id("import-progress"));
        assertThat(awaitText(By.cssSelector("#import-counts [data-count='created']"), "1")).isEqualTo("1");
        assertThat(awaitText(By.cssSelector("#import-counts [data-count='refused']"), "1")).isEqualTo("1");
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'imp.one'"
                + " AND packages = '[\"sport\"]'")).isEqualTo(1);
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'imp.bad'")).isZero();
        await(By.id("import-report"));
    }

    @Test
    void dataIsRenderedAsTextNeverAsMarkup() {
        String hostile = "<img src=x onerror=alert(1)>";
        provisionByApi("xss.victim", null, hostile);
        signIn("ada.admin");
        open("/accounts?company=" + company + "&q=xss");
        assertThat(awaitText(By.id("accounts-results"), "xss.victim")).contains(hostile);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        waiting.until(ExpectedConditions.attributeToBe(By.cssSelector("#accounts-results [data-online]"),
                "data-online", "unknown"));
        screenshot("console-accounts.png");
        open("/accounts/xss.victim?company=" + company);
        assertThat(await(By.id("field-fullName")).getAttribute("value")).isEqualTo(hostile);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void aCrossSiteFormPostIsRefused() throws Exception {
        signIn("ada.admin");
        // another site (localhost is not 127.0.0.1) posts a JSON-looking body with the signed-in admin's browser
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String target = origin + "/api/v1/users";
        byte[] page = ("<!doctype html><form id=f method=POST enctype=text/plain action='" + target + "'>"
                + "<input name='{\"username\":\"evil.admin\",\"role\":\"admin\",\"allCompanies\":true,\"x\":\"'"
                + " value='\"}'></form><script>document.getElementById('f').submit()</script>")
                .getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");
            waiting.until(driver -> driver.getCurrentUrl().startsWith(target));
            awaitText(By.tagName("body"), "\"status\":4");
        } finally {
            attacker.stop(0);
        }
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'evil.admin'")).isZero();
        // and the same request from the console's own origin but without the CSRF token is refused too
        open("/dashboard");
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[0]; fetch('/api/v1/users', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json'}, body: JSON.stringify({username: 'evil.admin', role: 'admin'})})"
                + ".then(r => done(r.status))");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'evil.admin'")).isZero();
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        String sessionsOfTheManager = "SELECT COUNT(*) FROM console_session s JOIN api_user u ON u.id = s.user_id"
                + " WHERE u.username = 'max.manager'";
        long before = database.count(sessionsOfTheManager);
        signIn("max.manager");
        assertThat(database.count(sessionsOfTheManager)).isEqualTo(before + 1);
        String cookie = browser.manage().getCookieNamed("mm_session") == null ? null : "visible";
        assertThat(cookie).as("an HttpOnly cookie is still visible to WebDriver").isEqualTo("visible");
        Object fromScript = script("return document.cookie");
        assertThat(String.valueOf(fromScript)).doesNotContain("mm_session");

        browser.findElement(By.id("sign-out")).click();
        await(By.id("sign-in-form"));
        waiting.until(driver -> database.count(sessionsOfTheManager) == before);
        // as the console asks (X-Requested-With), so that the 401 carries no Basic challenge and no dialog opens
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[0]; fetch('/api/v1/companies', {headers: {'X-Requested-With': 'console'}})"
                + ".then(r => done(r.status))");
        assertThat(((Number) status).intValue()).isEqualTo(401);
        open("/accounts");
        await(By.id("sign-in-form"));
    }

    @Test
    void aNewSubscriberPasswordIsShownOnceWithACopyButtonAndBoxCommandsWaitForABox() {
        provisionByApi("rotated.user", null, null);
        String hashBefore = ministra.passwordHash("rotated.user");
        signIn("max.manager");
        open("/accounts/rotated.user?company=" + company);
        // no box bound: the commands are there, disabled, with the reason beside them
        WebElement reboot = await(By.cssSelector("[data-command='reboot']"));
        assertThat(reboot.isEnabled()).isFalse();
        assertThat(reboot.getAttribute("aria-describedby")).isEqualTo("no-box");
        assertThat(browser.findElement(By.id("no-box")).getText()).contains("No box is bound");

        browser.findElement(By.id("rotate-password")).click();
        String password = await(By.id("one-time-password")).getText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);
        WebElement copy = browser.findElement(By.cssSelector(".shown-once button"));
        copy.click();
        waiting.until(ExpectedConditions.textToBePresentInElement(copy, "Copied"));
        eventually("the new password reaching Ministra", () -> ministra.passwordHash("rotated.user"),
                hash -> hash != null && !hash.equals(hashBefore));
        browser.navigate().refresh();
        await(By.id("account-form"));
        assertThat(browser.getPageSource()).doesNotContain(password);
    }

    @Test
    void theConsoleIsUsableByKeyboardAlone() {
        provisionByApi("keyboard.user", null, null);
        browser.get(origin + "/console/");
        await(By.id("field-username"));
        // the user name has the focus at once; Tab reaches the password, Enter submits the form
        waiting.until(driver -> "field-username".equals(script("return document.activeElement.id")));
        new Actions(browser).sendKeys("ada.admin").sendKeys(Keys.TAB).sendKeys(PASSWORD).sendKeys(Keys.ENTER)
                .perform();
        await(By.id("sign-out"));

        open("/accounts/keyboard.user?company=" + company);
        await(By.id("account-form"));
        // the first Tab reaches the skip link, drawn with a visible focus ring; Enter moves to the page's content
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(script("return document.activeElement.className")).isEqualTo("skip");
        assertThat(script("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        assertThat(browser.switchTo().activeElement().getRect().getX()).isNotNegative();
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        assertThat(script("return document.activeElement.id")).isEqualTo("main");
        // the delete confirmation is a dialog the keyboard answers: dismissed, nothing happens; accepted, it is gone
        browser.findElement(By.id("delete-account")).sendKeys(Keys.ENTER);
        waiting.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'keyboard.user'"
                + " AND deleted_at IS NULL")).isEqualTo(1);
        await(By.id("delete-account")).sendKeys(Keys.ENTER);
        waiting.until(ExpectedConditions.alertIsPresent()).accept();
        waiting.until(driver -> driver.getCurrentUrl().contains("#/accounts?"));
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'keyboard.user'"
                + " AND deleted_at IS NULL")).isZero();
    }

    @Test
    void everyPageHasItsOwnUrlAndFitsAPhoneAndA1280PixelScreen() throws Exception {
        provisionByApi("layout.user", "00:1A:79:0E:0E:03", "Layout User With A Rather Long Full Name");
        service.camel().getRegistry().lookupByNameAndType("dashboard", dev.ministramanager.dashboard.Dashboard.class)
                .sample();
        signIn("root.admin");
        String of = "?company=" + company;
        // each page by its URL alone, and an element that shows it has loaded
        Map<String, String[]> pages = new java.util.LinkedHashMap<>();
        pages.put("dashboard", new String[] {"/dashboard" + of, ".chart canvas"});
        pages.put("dashboard-all", new String[] {"/dashboard", "[data-ministra='" + company + "']"});
        pages.put("accounts", new String[] {"/accounts" + of + "&q=layout", "#accounts-results [data-online]"});
        pages.put("account", new String[] {"/accounts/layout.user" + of, "#account-form"});
        pages.put("provision", new String[] {"/provision" + of, "#provision-form"});
        pages.put("tariffs", new String[] {"/tariffs" + of, "[data-tariff-accounts='basic']"});
        pages.put("dead-letters", new String[] {"/dead-letters" + of, "#dead-letters-filter"});
        pages.put("reconciliation", new String[] {"/reconciliation" + of, "#reconciliation-start"});
        pages.put("imports", new String[] {"/imports" + of, "#csv-import"});
        pages.put("companies", new String[] {"/companies", "#company-form"});
        pages.put("company", new String[] {"/companies/" + company, "#company-edit-form"});
        pages.put("users", new String[] {"/users", "#user-form"});
        pages.put("user", new String[] {"/users/ada.admin", "#user-edit-form"});
        for (int width : new int[] {1280, 390}) {
            browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
            for (Map.Entry<String, String[]> page : pages.entrySet()) {
                open(page.getValue()[0]);
                await(By.cssSelector(page.getValue()[1]));
                assertThat(browser.findElements(By.cssSelector("main .form-message.error"))).as(page.getKey())
                        .isEmpty();
                Number overflow = (Number) script("return document.documentElement.scrollWidth - window.innerWidth");
                assertThat(overflow.intValue()).as("%s at %d px: wider than the window by", page.getKey(), width)
                        .isNotPositive();
                // nor does a chart or a table scroll sideways inside its frame
                assertThat(script("return [...document.querySelectorAll('main .chart, main .table-wrap')]"
                        + ".filter(frame => frame.scrollWidth > frame.clientWidth).map(frame => frame.className)"))
                        .as("%s at %d px: frames that scroll sideways", page.getKey(), width)
                        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isEmpty();
                screenshot("layout-" + width + "-" + page.getKey() + ".png");
            }
        }
    }

    private Object script(String javaScript) {
        return console.script(javaScript);
    }

    private void provisionByApi(String login, String mac, String fullName) {
        StringBuilder body = new StringBuilder("{\"login\":\"" + login + "\",\"tariff\":\"basic\"");
        if (mac != null) {
            body.append(",\"stbMac\":\"").append(mac).append('"');
        }
        if (fullName != null) {
            body.append(",\"fullName\":\"").append(fullName).append('"');
        }
        ApiAnswer answer = service.post("/provision?wait=10&company=" + company, ADMIN, body.append('}').toString());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    }

    private void awaitSyncState(String login, String state) {
        eventually(login + " reaching " + state,
                () -> service.get("/accounts/" + login + "?company=" + company, ADMIN).json(),
                account -> state.equals(account.path("sync").path("state").asText()));
    }

    private void screenshot(String name) {
        console.screenshot(name);
    }
}
