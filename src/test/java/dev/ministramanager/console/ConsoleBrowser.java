package dev.ministramanager.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import dev.ministramanager.testsupport.HeadlessChromium;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (1280 × 900) on the console of a service under test, with the steps the console's browser
 * tests share: sign in, open a page by its URL, wait for what it shows, take a screenshot (into
 * target/console-screenshots). Closing it checks that nothing the console loaded or ran broke its
 * Content-Security-Policy, then quits the browser.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final WebDriver driver;
    private final WebDriverWait waiting;
    private final String origin;

    private ConsoleBrowser(WebDriver driver, String origin) {
        this.driver = driver;
        this.origin = origin;
        waiting = new WebDriverWait(driver, Duration.ofSeconds(20));
        // the console re-renders a page when an answer arrives: an element found a moment ago may be gone, so a
        // wait finds it again instead of failing
        waiting.ignoring(StaleElementReferenceException.class);
    }

    /** A browser with its own profile under {@code profiles}, on the service at {@code origin} (http://host:port). */
    static ConsoleBrowser start(String origin, Path profiles) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = HeadlessChromium.options(profiles, 1280, 900);
        // the browser's console, where Chromium reports every Content-Security-Policy violation
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return new ConsoleBrowser(HeadlessChromium.start(options), origin);
    }

    WebDriver driver() {
        return driver;
    }

    WebDriverWait waiting() {
        return waiting;
    }

    void signIn(String username, String password) {
        driver.get(origin + "/");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-username")));
        assertThat(driver.getCurrentUrl()).contains("/console/");
        driver.findElement(By.id("field-username")).sendKeys(username);
        driver.findElement(By.id("field-password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    /** Opens the console's page at this hash route (e.g. /accounts?company=1) and waits for its heading. */
    void open(String hash) {
        driver.get(origin + "/console/#" + hash);
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main h1")));
    }

    WebElement await(By locator) {
        return waiting.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Waits until the element's text contains the given text, finding it again each time; answers the text. */
    String awaitText(By locator, String contained) {
        return waiting.until(browser -> {
            String text = browser.findElement(locator).getText();
            return text.contains(contained) ? text : null;
        });
    }

    Object script(String javaScript) {
        return ((JavascriptExecutor) driver).executeScript(javaScript);
    }

    void screenshot(String name) {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            assertThat(driver.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                    .noneMatch(line -> line.contains("Content Security Policy"));
        } finally {
            driver.quit();
        }
    }
}
