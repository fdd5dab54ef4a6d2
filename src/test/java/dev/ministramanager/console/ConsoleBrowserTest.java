package dev.ministramanager.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ministramanager.simulator.DeviceEvent;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium) against
 * the real service on PostgreSQL and the Ministra simulator over HTTP. Skipped, with the reason printed, only where
 * no Chromium is installed. Writes screenshots to target/console-screenshots (README shows copies under docs/).
 */
@ExtendWith(SimulatorExtension.class)
class ConsoleBrowserTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String PASSWORD = "browser pass phrase 7";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long company;
    private static String origin;
    private static Path profiles;
    private WebDriver browser;
    private WebDriverWait waiting;
    private MinistraSimulator ministra;

    @BeforeAll
    static void start(MinistraSimulator simulator) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "ConsoleBrowserTest skipped: no Chromium (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); install with: apt-get install -y chromium chromium-driver";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        database = TestDatabase.postgres();
        service = ServiceUnderTest.start(database, Map.of("mm.accounts.push.poll-interval-ms", "50",
                "mm.accounts.push.retry-initial-delay-ms", "100", "mm.accounts.push.max-attempts", "3",
                "mm.db.pool-size", "10"));
        origin = service.api("").toString().replace("/api/v1", "");
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"Browser ISP","ministraBaseUrl":"%s","ministraUser":"ministra",
                 "ministraPassword":"ministra-secret"}""".formatted(simulator.apiBaseUrl()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        company = created.json().get("id").asLong();
        assertThat(service.post("/companies/" + company + "/tariffs/sync", ADMIN, null).json().get("outcome")
                .asText()).isEqualTo("succeeded");
        for (String[] user : new String[][] {{"ada.admin", "admin"}, {"vic.viewer", "viewer"},
                {"max.manager", "manager"}}) {
            ApiAnswer answer = service.post("/users", ADMIN, """
                    {"username":"%s","role":"%s","companies":[%d],"password":"%s"}"""
                    .formatted(user[0], user[1], company, PASSWORD));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        }
        profiles = Files.createTempDirectory("console-browser");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @BeforeEach
    void openBrowser(MinistraSimulator simulator) throws IOException {
        ministra = simulator;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory(profiles, "profile"));
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        waiting = new WebDriverWait(browser, Duration.ofSeconds(20));
        // the console re-renders a page when an answer arrives: an element found a moment ago may be gone, so a
        // wait finds it again instead of failing
        waiting.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signIn(String username) {
        browser.get(origin + "/");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-username")));
        assertThat(browser.getCurrentUrl()).contains("/console/");
        browser.findElement(By.id("field-username")).sendKeys(username);
        browser.findElement(By.id("field-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    private void open(String hash) {
        browser.get(origin + "/console/#" + hash);
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main h1")));
    }

    private WebElement await(By locator) {
        return waiting.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    @Test
    void provisionShowsThePasswordOnceAndTheAccountReachesMinistra() throws Exception {
        signIn("max.manager");
        open("/provision?company=" + company);
        // the API's problem is shown beside the field it names, and nothing is stored
        await(By.id("field-login")).sendKeys("bad login");
        browser.findElement(By.id("provision-submit")).click();
        assertThat(await(By.id("problem-login")).getText()).containsIgnoringCase("login");
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login LIKE 'bad%'")).isZero();
        browser.findElement(By.id("field-login")).clear();
        browser.findElement(By.id("field-login")).sendKeys("web.provisioned");
        browser.findElement(By.id("field-fullName")).sendKeys("Web Provisioned");
        browser.findElement(By.id("field-stbMac")).sendKeys("00:1A:79:");
        assertThat(await(By.id("problem-stbMac")).getText()).contains("00:1A:79:12:34:56");
        browser.findElement(By.id("field-stbMac")).sendKeys("0B:0C:0D");
        assertThat(browser.findElement(By.id("problem-stbMac")).getText()).isEmpty();
        browser.findElement(By.id("provision-submit")).click();

        String password = await(By.id("generated-password")).getText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);
        assertThat(browser.findElement(By.id("provision-outcome")).getText()).contains("is in Ministra");
        Optional<Map<String, Object>> inMinistra = ministra.accountsSnapshot().stream()
                .filter(row -> "web.provisioned".equals(row.get("login"))).findFirst();
        assertThat(inMinistra).isPresent();
        assertThat(inMinistra.get().get("stb_mac")).isEqualTo("00:1A:79:0B:0C:0D");
        assertThat(ministra.passwordHash("web.provisioned")).isNotBlank();

        browser.findElement(By.id("open-account")).click();
        await(By.id("account-form"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("web.provisioned")
                .doesNotContain(password);
        browser.navigate().refresh();
        await(By.id("account-form"));
        assertThat(browser.getPageSource()).doesNotContain(password);
    }

    @Test
    void theDashboardShowsTheCompanysFiguresAndCharts() throws Exception {
        for (int i = 1; i <= 3; i++) {
            provisionByApi("dash." + i, null, "Dashboard Subscriber " + i);
        }
        service.camel().getRegistry().lookupByNameAndType("dashboard", dev.ministramanager.dashboard.Dashboard.class)
                .sample();
        signIn("ada.admin");
        open("/dashboard?company=" + company);
        long synced = database.count("SELECT COUNT(*) FROM account_push p JOIN account a ON a.id = p.account_id"
                + " WHERE p.state = 'synced' AND a.deleted_at IS NULL AND a.company_id = " + company);
        assertThat(synced).isGreaterThanOrEqualTo(3);
        waiting.until(driver -> driver.findElement(By.cssSelector("[data-count='synced']")).getText()
                .equals(String.valueOf(synced)));
        assertThat(browser.findElements(By.cssSelector(".chart canvas"))).hasSize(2);
        screenshot("console-dashboard.png");
    }

    @Test
    void rebootFromTheAccountPageReachesTheBoxQueue() {
        String mac = "00:1A:79:0E:0E:01";
        provisionByApi("boxed.user", mac, null);
        ministra.devices().register(mac, "SN-WEB", "MAG322", "2.20", "10.0.0.9");
        signIn("max.manager");
        open("/accounts/boxed.user?company=" + company);
        await(By.cssSelector("[data-command='reboot']")).click();

        waiting.until(driver -> driver.findElement(By.id("account-notice")).getText().contains(mac));
        assertThat(ministra.devices().pendingEvents(mac)).extracting(DeviceEvent::event).containsExactly("reboot");
        // a manager changes accounts but does not delete them, nor manage companies, users or dead letters
        assertThat(browser.findElements(By.id("account-actions"))).hasSize(1);
        assertThat(browser.findElements(By.id("delete-account"))).isEmpty();
        assertThat(browser.findElement(By.tagName("nav")).getText()).contains("Quick provision")
                .doesNotContain("Dead letters").doesNotContain("Companies").doesNotContain("API users");
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/accounts/boxed.user?company=" + company);
        await(By.id("account-form"));
        screenshot("console-account-phone.png");
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

        waiting.until(driver -> driver.findElement(By.id("account-notice")).getText().contains("changed this account"));
        String phone = waiting.until(driver -> driver.findElement(By.id("field-phone")).getAttribute("value"));
        assertThat(phone).isEqualTo("+355 4 222");
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
        assertThat(browser.findElement(By.id("field-fullName")).getAttribute("readonly")).isNotNull();
        assertThat(browser.findElement(By.tagName("nav")).getText()).doesNotContain("Quick provision")
                .doesNotContain("Dead letters").doesNotContain("API users").contains("Accounts");
        open("/tariffs?company=" + company);
        assertThat(browser.findElements(By.id("sync-tariffs"))).isEmpty();
    }

    @Test
    void anAdminReplaysADeadLetter() throws Exception {
        ministra.loadAccounts(1, "foreign");
        String takenMac = (String) ministra.accountsSnapshot().get(0).get("stb_mac");
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"dead.one","tariff":"basic","stbMac":"%s"}""".formatted(takenMac)).status())
                .isEqualTo(201);
        awaitSyncState("dead.one", "dead");
        assertThat(service.patch("/accounts/dead.one?company=" + company, ADMIN,
                "{\"stbMac\":\"00:1A:79:0D:0D:0D\"}").status()).isEqualTo(200);

        signIn("ada.admin");
        open("/dead-letters?company=" + company);
        await(By.cssSelector("[data-replay='dead.one']")).click();

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
    void dataIsRenderedAsTextNeverAsMarkup() {
        String hostile = "<img src=x onerror=alert(1)>";
        provisionByApi("xss.victim", null, hostile);
        signIn("ada.admin");
        open("/accounts?company=" + company + "&q=xss");
        waiting.until(driver -> driver.findElement(By.id("accounts-results")).getText().contains("xss.victim"));
        assertThat(browser.findElement(By.id("accounts-results")).getText()).contains(hostile);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#accounts-results [data-online]")).getAttribute("data-online"))
                .isEqualTo("unknown");
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
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("\"status\":4");
        } finally {
            attacker.stop(0);
        }
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'evil.admin'")).isZero();
        // and the same request from the console's own origin but without the CSRF token is refused too
        open("/dashboard");
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
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
        Object fromScript = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.cookie");
        assertThat(String.valueOf(fromScript)).doesNotContain("mm_session");

        browser.findElement(By.id("sign-out")).click();
        await(By.id("sign-in-form"));
        waiting.until(driver -> database.count(sessionsOfTheManager) == before);
        // as the console asks (X-Requested-With), so that the 401 carries no Basic challenge and no dialog opens
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[0]; fetch('/api/v1/companies', {headers: {'X-Requested-With': 'console'}})"
                + ".then(r => done(r.status))");
        assertThat(((Number) status).intValue()).isEqualTo(401);
        open("/accounts");
        await(By.id("sign-in-form"));
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
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = service.get("/accounts/" + login + "?company=" + company, ADMIN).json();
            if (state.equals(last.path("sync").path("state").asText())) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(login + " did not reach " + state + ": " + last);
    }

    private void screenshot(String name) throws RuntimeException {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
