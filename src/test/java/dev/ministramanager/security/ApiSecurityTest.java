package dev.ministramanager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication, roles, company scope and API user administration, on PostgreSQL over real HTTP. */
@OnBothDatabases
class ApiSecurityTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static long companyA;
    private static long companyB;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of());

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        companyA = ServiceFixture.company(service, "Alpha Networks", "http://127.0.0.1:9", "");
        companyB = ServiceFixture.company(service, "Beta Cable", "http://127.0.0.1:9", "");
    }

    /** Every token the API hands out carries the "mm_" prefix. */
    private static String createUser(String username, String role, String password, long... companies) {
        String token = password == null ? ServiceFixture.user(service, username, role, companies)
                : ServiceFixture.userWithPassword(service, username, role, password, companies);
        assertThat(token).startsWith("mm_");
        return token;
    }

    @Test
    void missingOrWrongCredentialsAre401WithAChallenge() {
        for (String token : new String[] {null, "not-a-token", "mm_0123456789abcdef_" + "A".repeat(43)}) {
            ApiAnswer answer = service.get("/companies", token);
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.header("WWW-Authenticate")).contains("Basic").contains("Bearer");
            assertThat(answer.json().get("status").asInt()).isEqualTo(401);
        }
        ApiAnswer wrongScheme = service.send(service.request(service.api("/companies"), null)
                .header("Authorization", "Digest abc").GET());
        assertThat(wrongScheme.status()).isEqualTo(401);
    }

    @Test
    void eachRoleGetsItsOwnRights() {
        String viewer = createUser("vera.viewer", "viewer", null, companyA);
        String manager = createUser("max.manager", "manager", null, companyA);

        assertThat(service.get("/companies", viewer).status()).isEqualTo(200);
        ApiAnswer viewerCreates = service.post("/companies", viewer, """
                {"name":"Nope","ministraBaseUrl":"http://x.example","ministraUser":"u","ministraPassword":"p"}""");
        assertThat(viewerCreates.status()).isEqualTo(403);
        assertThat(viewerCreates.json().get("detail").asText()).contains("admin");
        assertThat(service.post("/companies/" + companyA + "/test-connection", viewer, null).status())
                .isEqualTo(403);
        assertThat(service.post("/companies/" + companyA + "/test-connection", manager, null).status())
                .isEqualTo(200);
        assertThat(service.get("/users", manager).status()).isEqualTo(403);
        assertThat(service.get("/users", ADMIN).status()).isEqualTo(200);
        assertThat(countRows("SELECT COUNT(*) FROM company WHERE name = 'Nope'")).isZero();
    }

    @Test
    void aCompanyOutsideTheCallersScopeDoesNotExistForThem() {
        String viewer = createUser("only.alpha", "viewer", null, companyA);

        JsonNode listed = service.get("/companies", viewer).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asLong()).isEqualTo(companyA);
        ApiAnswer other = service.get("/companies/" + companyB, viewer);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("Beta");
        assertThat(service.get("/companies/" + companyB, ADMIN).status()).isEqualTo(200);
        assertThat(service.get("/companies/999999", ADMIN).status()).isEqualTo(404);
        assertThat(service.get("/companies/not-a-number", viewer).status()).isEqualTo(404);
    }

    @Test
    void basicAuthWorksWithTheUsersPasswordOnly() {
        createUser("basil.basic", "viewer", "correct horse battery", companyA);
        String good = Base64.getEncoder().encodeToString("basil.basic:correct horse battery"
                .getBytes(StandardCharsets.UTF_8));
        String bad = Base64.getEncoder().encodeToString("basil.basic:wrong password!".getBytes(StandardCharsets.UTF_8));

        assertThat(service.send(basic(good)).status()).isEqualTo(200);
        assertThat(service.send(basic(bad)).status()).isEqualTo(401);
    }

    @Test
    void rotatingATokenRevokesTheOldOneAndDisablingAUserLocksThemOut() {
        String first = createUser("rita.rotate", "manager", null, companyA);
        assertThat(service.get("/companies", first).status()).isEqualTo(200);

        ApiAnswer rotated = service.post("/users/rita.rotate/token", ADMIN, null);
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.json().get("token").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(service.get("/companies", first).status()).isEqualTo(401);
        assertThat(service.get("/companies", second).status()).isEqualTo(200);

        assertThat(service.patch("/users/rita.rotate", ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(service.get("/companies", second).status()).isEqualTo(401);
        ApiAnswer shown = service.get("/users/rita.rotate", ADMIN);
        assertThat(shown.json().get("enabled").asBoolean()).isFalse();
        assertThat(shown.body()).doesNotContain(second).doesNotContain("secret_hash");
    }

    @Test
    void tokensAndPasswordsAreStoredOnlyAsSaltedHashes() throws Exception {
        String token = createUser("hash.check", "viewer", "a long enough password");
        String secret = token.substring(token.lastIndexOf('_') + 1);
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery("SELECT t.secret_hash, u.password_hash"
                     + " FROM api_token t JOIN api_user u ON u.id = t.user_id WHERE u.username = 'hash.check'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("$2").doesNotContain(secret);
            assertThat(rows.getString(2)).startsWith("$2").doesNotContain("a long enough password");
        }
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT secret_hash FROM api_token WHERE id = 'bootstrap'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("$2").isNotEqualTo(ADMIN);
        }
    }

    @Test
    void userAdministrationRefusesBadInput() {
        ApiAnswer badRole = service.post("/users", ADMIN, "{\"username\":\"x.y\",\"role\":\"root\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("field").asText()).isEqualTo("role");
        ApiAnswer unknownCompany = service.post("/users", ADMIN,
                "{\"username\":\"ghost\",\"role\":\"viewer\",\"companies\":[424242]}");
        assertThat(unknownCompany.status()).isEqualTo(422);
        assertThat(unknownCompany.json().get("field").asText()).isEqualTo("companies");
        assertThat(countRows("SELECT COUNT(*) FROM api_user WHERE username IN ('x.y', 'ghost')")).isZero();
        createUser("dupe.user", "viewer", null);
        assertThat(service.post("/users", ADMIN, "{\"username\":\"dupe.user\",\"role\":\"viewer\"}").status())
                .isEqualTo(409);
    }

    private static HttpRequest.Builder basic(String credentials) {
        return service.request(service.api("/companies"), null).header("Authorization", "Basic " + credentials).GET();
    }

    private static long countRows(String sql) {
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
