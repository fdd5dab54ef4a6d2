package dev.ministramanager.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Selenium and its chromedriver, with the flags this machine needs (no
 * background networking: its closed network refuses it) and a fresh profile per browser. A browser test calls
 * {@link #requireInstalled(String)} first: without Chromium it is skipped with the reason printed.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    public static void requireInstalled(String test) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = test + " skipped: no Chromium (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); install with: apt-get install -y chromium chromium-driver";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    /** A new browser with its own profile under {@code profiles}, a window of the given size. */
    public static WebDriver open(Path profiles, int width, int height) throws IOException {
        return start(options(profiles, width, height));
    }

    /** The options of such a browser, for a test that adds its own (e.g. the browser's console log). */
    public static ChromeOptions options(Path profiles, int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory(profiles, "profile"));
        return options;
    }

    public static WebDriver start(ChromeOptions options) {
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }
}
