package dev.ministramanager.console;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.HeadlessChromium;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's speed goals, printed: the accounts search over 100,000 accounts through the API as the console calls
 * it (session cookie; goal 300 ms), and a cold console page in a fresh Chromium profile until it is usable (goal 1 s).
 */
@Tag("benchmark")
@ExtendWith(SimulatorExtension.class)
class ConsoleBenchmark {

    private static final String NAME = "ConsoleBenchmark";
    private static final int ACCOUNTS = 100_000;
    private static final int REPEATS = 20;

    @Test
    void searchAndColdPage(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            ServiceUnderTest service = ServiceUnderTest.start(database, Map.of());
            try {
                long company = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                        {"name":"Bench ISP","ministraBaseUrl":"%s","ministraUser":"ministra",
                         "ministraPassword":"ministra-secret"}""".formatted(ministra.apiBaseUrl())).json()
                        .get("id").asLong();
                service.post("/companies/" + company + "/tariffs/sync", ServiceUnderTest.ADMIN_TOKEN, null);
                insertAccounts(database, company);
                ConsoleSessionTest.createUser(service, "bench.user", "admin");
                String cookie = ConsoleSessionTest.signIn(service, "bench.user", "console pass phrase 42");
                System.out.printf(Locale.ROOT, "%nConsole benchmark: %,d accounts, %d cores, load %.2f%n", ACCOUNTS,
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                String base = "/accounts?company=" + company + "&limit=50";
                search(service, cookie, "first page, no filter", base);
                search(service, cookie, "login (q=bench4242)", base + "&q=bench4242");
                search(service, cookie, "name (q=smith)", base + "&q=smith");
                search(service, cookie, "MAC (q=00:1A:79:01:86)", base + "&q=00:1A:79:01:86");
                search(service, cookie, "no match (q=nobody)", base + "&q=nobody");
                search(service, cookie, "status=inactive&sync=synced", base + "&status=inactive&sync=synced");
                search(service, cookie, "tariff=premium", base + "&tariff=premium");
                coldPage(service, company);
            } finally {
                Resources.closeAll(service);
            }
        }
    }

    private static void insertAccounts(TestDatabase database, long company) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO account (company_id, login, login_key, full_name, account_number,"
                    + " account_number_key, status, stb_mac, tariff_plan_id) SELECT " + company + ", 'bench' || i,"
                    + " 'bench' || i, CASE WHEN i % 100 = 0 THEN 'Ann Smith ' || i ELSE 'Subscriber ' || i END,"
                    + " 'bench' || i, 'bench' || i, CASE WHEN i % 10 = 0 THEN 'inactive' ELSE 'active' END,"
                    + " '00:1A:79:' || SUBSTRING(LPAD(TO_HEX(i), 6, '0'), 1, 2) || ':'"
                    + " || SUBSTRING(LPAD(TO_HEX(i), 6, '0'), 3, 2) || ':' || SUBSTRING(LPAD(TO_HEX(i), 6, '0'), 5, 2),"
                    + " (SELECT id FROM tariff_plan WHERE company_id = " + company + " AND external_id ="
                    + " CASE WHEN i % 3 = 0 THEN 'premium' ELSE 'basic' END) FROM generate_series(1, " + ACCOUNTS
                    + ") AS s(i)");
            statement.execute("UPDATE account SET stb_mac = UPPER(stb_mac) WHERE company_id = " + company);
            statement.execute("INSERT INTO account_push (account_id, company_id, state, requested_version,"
                    + " pushed_version, pushed_password_version, attempts, next_attempt_at) SELECT id, company_id,"
                    + " 'synced', 1, 1, 0, 0, CURRENT_TIMESTAMP FROM account WHERE company_id = " + company);
            statement.execute("ANALYZE");
        }
    }

    private static void search(ServiceUnderTest service, String cookie, String label, String path) {
        List<Long> millis = new ArrayList<>();
        int items = 0;
        for (int i = 0; i < REPEATS + 3; i++) {
            long started = System.nanoTime();
            ApiAnswer answer = service.send(service.request(service.api(path), null).header("Cookie", cookie)
                    .header("X-Requested-With", "console").GET());
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            if (answer.status() != 200) {
                throw new AssertionError(label + ": " + answer);
            }
            items = answer.json().get("items").size();
            if (i >= 3) {
                millis.add(elapsed);
            }
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "  search %-32s %2d rows  median %4d ms  max %4d ms%s%n", label, items,
                millis.get(millis.size() / 2), millis.get(millis.size() - 1),
                millis.get(millis.size() - 1) <= 300 ? "" : "  (above the 300 ms goal)");
        long max = millis.get(millis.size() - 1);
        BenchmarkFigures.record(NAME, "search " + label + ", slowest of " + REPEATS, max, "ms", "<= 300 ms",
                max <= 300);
    }

    private static void coldPage(ServiceUnderTest service, long company) throws Exception {
        HeadlessChromium.requireInstalled("ConsoleBenchmark (cold page)");
        Path profiles = Files.createTempDirectory("console-bench");
        String origin = service.api("").toString().replace("/api/v1", "");
        for (int run = 1; run <= 3; run++) {
            WebDriver browser = HeadlessChromium.open(profiles, 1280, 900);
            try {
                // checked every 10 ms: WebDriverWait's default of 500 ms rounded each figure up to its next poll
                WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(30));
                waiting.pollingEvery(Duration.ofMillis(10));
                long started = System.nanoTime();
                browser.get(origin + "/console/");
                waiting.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
                long signInPage = (System.nanoTime() - started) / 1_000_000;
                browser.findElement(By.id("field-username")).sendKeys("bench.user");
                browser.findElement(By.id("field-password")).sendKeys("console pass phrase 42");
                browser.findElement(By.id("sign-in")).click();
                waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard-figures")));
                started = System.nanoTime();
                browser.get(origin + "/console/#/accounts?company=" + company + "&q=smith");
                browser.navigate().refresh();
                waiting.until(driver -> driver.findElement(By.id("accounts-results")).getText().contains("bench"));
                long accountsPage = (System.nanoTime() - started) / 1_000_000;
                System.out.printf(Locale.ROOT, "  cold browser %d: sign-in page usable %4d ms; accounts page"
                        + " (reload, search over %,d) with results %4d ms%n", run, signInPage, ACCOUNTS, accountsPage);
                BenchmarkFigures.record(NAME, "cold browser %d: sign-in page usable".formatted(run), signInPage, "ms",
                        "<= 1,000 ms", signInPage <= 1_000);
                BenchmarkFigures.record(NAME, "cold browser %d: accounts page with results".formatted(run),
                        accountsPage, "ms", "<= 1,000 ms", accountsPage <= 1_000);
            } finally {
                browser.quit();
            }
        }
    }
}
