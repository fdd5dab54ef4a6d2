package dev.ministramanager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every error the service answers is RFC 9457 problem+json, names the field, and stores nothing. */
@OnBothDatabases
class HttpProblemsTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String VALID = """
            {"name":"Gamma","ministraBaseUrl":"http://ministra.example.net","ministraUser":"api","ministraPassword":"pw"}""";
    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.http.max-body-bytes", "4096"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(service.post("/companies", ADMIN, "{\"name\": \"Gamma\","), 400, null);
        assertProblem(service.post("/companies", ADMIN, "[1,2]"), 400, null);
        assertProblem(service.post("/companies", ADMIN, "{} {}"), 400, null);
    }

    @Test
    void wrongTypesUnknownAndMissingFieldsAre400NamingTheField() {
        assertProblem(service.post("/companies", ADMIN, VALID.replace("}", ",\"readTimeoutMs\":\"soon\"}")), 400,
                "readTimeoutMs");
        assertProblem(service.post("/companies", ADMIN, VALID.replace("}", ",\"colour\":\"red\"}")), 400, "colour");
        assertProblem(service.post("/companies", ADMIN, VALID.replace("\"ministraUser\":\"api\",", "")), 400,
                "ministraUser");
        assertProblem(service.post("/companies", ADMIN, VALID.replace("http://ministra.example.net", "ftp://x")),
                400, "ministraBaseUrl");
        assertProblem(service.post("/companies", ADMIN, VALID.replace("}", ",\"connectTimeoutMs\":5}")), 400,
                "connectTimeoutMs");
    }

    @Test
    void wrongContentTypeIs415AndOversizedBodyIs413() {
        ApiAnswer text = service.send(service.request(service.api("/companies"), ADMIN)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(VALID)));
        assertProblem(text, 415, null);
        ApiAnswer huge = service.post("/companies", ADMIN, VALID.replace("\"Gamma\"", "\"" + "G".repeat(8000) + "\""));
        assertProblem(huge, 413, null);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        assertProblem(service.get("/no-such-thing", ADMIN), 404, null);
        ApiAnswer put = service.send(service.request(service.api("/companies"), ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString(VALID)));
        assertProblem(put, 405, null);
        assertThat(put.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void aDuplicateNameIs409() {
        String body = VALID.replace("Gamma", "Delta");
        assertThat(service.post("/companies", ADMIN, body).status()).isEqualTo(201);
        assertProblem(service.post("/companies", ADMIN, body.replace("ministra.example.net", "delta.example.net")),
                409, "name");
    }

    /** Two companies on one Ministra can overwrite each other's subscribers: only when the request says so. */
    @Test
    void aMinistraUrlAnotherCompanyUsesIs409UnlessIntended() throws Exception {
        String first = VALID.replace("Gamma", "Zeta").replace("ministra.example.net", "zeta.example.net");
        ApiAnswer created = service.post("/companies", ADMIN, first);
        assertThat(created.status()).isEqualTo(201);
        String second = first.replace("Zeta", "Eta").replace("zeta.example.net", "ZETA.example.net");
        assertProblem(service.post("/companies", ADMIN, second), 409, "ministraBaseUrl");
        ApiAnswer other = service.post("/companies", ADMIN, second.replace("ZETA", "eta"));
        assertThat(other.status()).isEqualTo(201);
        assertProblem(service.patch("/companies/" + other.json().get("id").asLong(), ADMIN,
                "{\"ministraBaseUrl\":\"http://zeta.example.net\"}"), 409, "ministraBaseUrl");
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(
                "SELECT COUNT(*) FROM company WHERE ministra_base_url LIKE '%zeta%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("only the first company on that Ministra").isEqualTo(1);
        }
        String intended = second.replace("Eta", "Theta").replace("}", ",\"sharedMinistra\":true}");
        assertThat(service.post("/companies", ADMIN, intended).status()).isEqualTo(201);
    }

    private static void assertProblem(ApiAnswer answer, int status, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("title").asText()).isNotBlank();
        assertThat(answer.json().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(answer.json().get("field").asText()).isEqualTo(field);
            assertThat(answer.json().get("detail").asText()).contains(field);
        }
        assertThat(companiesNamedGamma()).as("nothing stored").isZero();
    }

    private static long companiesNamedGamma() {
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM company WHERE name LIKE 'G%'")) {
            rows.next();
            return rows.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
