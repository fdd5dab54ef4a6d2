package dev.ministramanager.companies;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import dev.ministramanager.security.SecretCipher;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.CapturedLogs;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A company's Ministra password is encrypted at rest, never answered, never audited and never logged; neither are
 * API tokens or API user passwords. The whole run of this class is captured and scanned.
 */
@OnBothDatabases
class CompanySecretsTest {

    private static final String MINISTRA_PASSWORD = "Ministra-Pa55-do-not-leak";
    private static final String NEW_PASSWORD = "Rotated-Ministra-Pa55-never-seen";
    private static final String USER_PASSWORD = "api-user-password-not-for-logs";
    private static CapturedLogs logs;
    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of()).capturingLogs();

    @BeforeAll
    static void start() {
        logs = FLOW.logs();
        database = FLOW.database();
        service = FLOW.service();
    }

    @Test
    void thePasswordIsWriteOnlyEncryptedAndNeverLoggedOrAudited() throws Exception {
        ApiAnswer created = service.post("/companies", ServiceUnderTest.ADMIN_TOKEN, """
                {"name":"Secretive ISP","ministraBaseUrl":"http://127.0.0.1:9/","ministraUser":"api",
                 "ministraPassword":"%s"}""".formatted(MINISTRA_PASSWORD));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("ministraBaseUrl").asText())
                .isEqualTo("http://127.0.0.1:9/stalker_portal/api/v1/");
        assertThat(created.json().get("ministraPasswordSet").asBoolean()).isTrue();

        ApiAnswer changed = service.patch("/companies/" + id, ServiceUnderTest.ADMIN_TOKEN,
                "{\"ministraPassword\":\"" + NEW_PASSWORD + "\",\"readTimeoutMs\":2000}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("version").asLong()).isEqualTo(2);
        assertThat(changed.json().get("readTimeoutMs").asInt()).isEqualTo(2000);
        ApiAnswer connection = service.post("/companies/" + id + "/test-connection", ServiceUnderTest.ADMIN_TOKEN,
                null);
        assertThat(connection.json().get("outcome").asText()).isEqualTo("unreachable");

        for (ApiAnswer answer : new ApiAnswer[] {created, changed, connection,
                service.get("/companies", ServiceUnderTest.ADMIN_TOKEN),
                service.get("/companies/" + id, ServiceUnderTest.ADMIN_TOKEN)}) {
            assertThat(answer.body()).doesNotContain(MINISTRA_PASSWORD).doesNotContain(NEW_PASSWORD)
                    .doesNotContain("password_enc");
        }

        try (Connection db = database.connect()) {
            ResultSet stored = db.createStatement().executeQuery(
                    "SELECT ministra_password_enc FROM company WHERE id = " + id);
            assertThat(stored.next()).isTrue();
            String ciphertext = stored.getString(1);
            assertThat(ciphertext).doesNotContain(NEW_PASSWORD);
            SecretCipher cipher = new SecretCipher(java.util.Base64.getDecoder().decode(ServiceUnderTest.SECRET_KEY));
            assertThat(cipher.decrypt(ciphertext)).isEqualTo(NEW_PASSWORD);

            ResultSet audit = db.createStatement().executeQuery(
                    "SELECT action, details FROM audit_event WHERE subject = 'company' ORDER BY id");
            StringBuilder trail = new StringBuilder();
            while (audit.next()) {
                trail.append(audit.getString(1)).append(' ').append(audit.getString(2)).append('\n');
            }
            assertThat(trail).contains("create").contains("change").contains("test-connection")
                    .doesNotContain(MINISTRA_PASSWORD).doesNotContain(NEW_PASSWORD);
        }

        ApiAnswer user = service.post("/users", ServiceUnderTest.ADMIN_TOKEN, """
                {"username":"leak.check","role":"viewer","password":"%s","companies":[%d]}"""
                .formatted(USER_PASSWORD, id));
        String userToken = user.json().get("token").asText();
        assertThat(service.get("/companies", userToken).status()).isEqualTo(200);
        assertThat(service.get("/companies", userToken + "x").status()).isEqualTo(401);
        String rotated = service.post("/users/leak.check/token", ServiceUnderTest.ADMIN_TOKEN, null).json()
                .get("token").asText();
        assertThat(service.get("/users/leak.check", ServiceUnderTest.ADMIN_TOKEN).body())
                .doesNotContain(USER_PASSWORD).doesNotContain(userToken).doesNotContain(rotated);

        assertThat(logs.lineCount()).isPositive();
        assertThat(logs.text()).doesNotContain(MINISTRA_PASSWORD).doesNotContain(NEW_PASSWORD)
                .doesNotContain(ServiceUnderTest.ADMIN_TOKEN).doesNotContain(ServiceUnderTest.SECRET_KEY)
                .doesNotContain(USER_PASSWORD).doesNotContain(userToken.substring(20))
                .doesNotContain(rotated.substring(20));
    }
}
