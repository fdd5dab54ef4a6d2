package dev.ministramanager.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.HeadlessChromium;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The interactive reference in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium):
 * /api/v1/docs/ renders every operation of the served document, loads nothing from outside the service, and "Try
 * it out" with a bearer token given to "Authorize" gets a real answer. Skipped, with the reason printed, only where
 * no Chromium is installed. The page and the document do not depend on the database: H2 only. Writes its
 * screenshot to target/openapi-screenshots.
 */
class SwaggerUiBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "openapi-screenshots");

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(Map.of());

    private static ServiceUnderTest service;

    @BeforeAll
    static void start() {
        HeadlessChromium.requireInstalled("SwaggerUiBrowserTest");
        service = FLOW.service();
        // something for "Try it out" to list; its Ministra is never called here
        ApiAnswer created = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                {"name":"Reference ISP","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"ministra",
                 "ministraPassword":"ministra-secret"}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void theReferenceShowsEveryOperationOfflineAndTriesOneWithABearerToken() throws IOException {
        OpenAPI openApi = new OpenAPIParser().readContents(service.get("/openapi.json", null).body(), null, null)
                .getOpenAPI();
        int operations = openApi.getPaths().values().stream().mapToInt(item -> item.readOperations().size()).sum();
        Set<String> tags = new TreeSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(o -> tags.addAll(o.getTags())));
        String docs = service.api("/docs/").toString();
        String origin = docs.substring(0, docs.indexOf("/api/v1"));

        WebDriver browser = HeadlessChromium.open(Files.createTempDirectory("swagger-ui-browser"), 1280, 1400);
        try {
            WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(docs);
            waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".opblock"), operations));
            Set<String> shownTags = new TreeSet<>();
            browser.findElements(By.cssSelector(".opblock-tag")).forEach(tag -> shownTags.add(tag.getAttribute(
                    "data-tag")));
            assertThat(shownTags).isEqualTo(tags);

            browser.findElement(By.cssSelector("button.authorize")).click();
            WebElement dialog = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                    ".modal-ux")));
            // the first scheme is the bearer token
            dialog.findElement(By.cssSelector("input[type=text]")).sendKeys(ServiceUnderTest.ADMIN_TOKEN);
            dialog.findElement(By.cssSelector("button.authorize")).click();
            dialog.findElement(By.cssSelector("button.close-modal")).click();

            WebElement listCompanies = browser.findElement(By.id("operations-Companies-companies-list"));
            listCompanies.findElement(By.cssSelector(".opblock-summary")).click();
            waiting.until(ExpectedConditions.elementToBeClickable(listCompanies.findElement(By.cssSelector(
                    "button.try-out__btn")))).click();
            listCompanies.findElement(By.cssSelector("button.execute")).click();
            WebElement status = waiting.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(listCompanies,
                    By.cssSelector(".live-responses-table tbody .response-col_status"))).get(0);
            assertThat(status.getText()).startsWith("200");
            assertThat(listCompanies.findElement(By.cssSelector(".curl-command")).getText())
                    .contains("Authorization: Bearer " + ServiceUnderTest.ADMIN_TOKEN);
            assertThat(listCompanies.findElement(By.cssSelector(
                    ".live-responses-table tbody .response-col_description"))
                    .getText()).contains("\"name\": \"Reference ISP\"");

            @SuppressWarnings("unchecked")
            List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name)");
            assertThat(loaded).as("what the page loaded").isNotEmpty()
                    .anySatisfy(url -> assertThat(url).endsWith("/api/v1/openapi.json"))
                    .allSatisfy(url -> assertThat(url).startsWith(origin));

            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", status);
            Files.createDirectories(SCREENSHOTS);
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve("api-reference-try-it-out.png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }
}
