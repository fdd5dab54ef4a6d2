package dev.ministramanager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import dev.ministramanager.testsupport.ApiAnswer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import dev.ministramanager.testsupport.CapturedLogs;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * No secret reaches the log: the service starts with a known value for every secret setting (every key of
 * config/application.properties named like a secret, so a new one is covered without a new test, and the
 * environment-only ones), is used with passwords and tokens, and the whole captured log, Camel Main's property
 * summary included, is scanned for each value.
 */
class SecretsInLogsTest {

    private static final Pattern SECRET_SETTING = Pattern.compile("(?:^|\\.|-)(?:password|token|secret|secret-key)$");

    @Test
    void noSecretSettingNorCredentialIsEverLogged() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String key : configuredKeys()) {
            if (SECRET_SETTING.matcher(key).find() && !key.contains(".generate-")) {
                secrets.put(key, "sentinel-" + key.replace('.', '-') + "-4f1c9e2a");
            }
        }
        assertThat(secrets).containsKeys("mm.db.password", "mm.secret-key", "mm.bootstrap.admin-token");
        // values the service must accept: a real AES key, the environment-only simulator password
        secrets.put("mm.secret-key", Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
                .getBytes(StandardCharsets.US_ASCII)));
        secrets.put("mm.sim.api-password", "sentinel-sim-api-password-77d0");
        Map<String, String> overrides = new HashMap<>(secrets);
        String adminToken = secrets.get("mm.bootstrap.admin-token");

        String log;
        // the loggers the test configuration quiets log at INFO here, as in production (config/log4j2.properties)
        Map<String, Level> quieted = new HashMap<>();
        for (String name : new String[] {"org.apache.camel.main", "org.apache.camel.impl",
            "org.apache.camel.component.platform.http", "com.zaxxer.hikari", "org.flywaydb"}) {
            quieted.put(name, LogManager.getLogger(name).getLevel());
            Configurator.setLevel(name, Level.INFO);
        }
        try (CapturedLogs logs = CapturedLogs.install()) {
            exercise(logs, overrides, secrets, adminToken);
            // the service has stopped: the whole log, start to stop, is in the capture
            log = logs.text();
        } finally {
            quieted.forEach(Configurator::setLevel);
        }
        assertThat(log).isNotEmpty();
        secrets.forEach((what, value) -> assertThat(log).as(what + " in the log").doesNotContain(value));
    }

    private static void exercise(CapturedLogs logs, Map<String, String> overrides, Map<String, String> secrets,
                                 String adminToken) throws IOException {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, overrides)) {
            assertThat(logs.text()).as("Camel Main's property summary is captured")
                    .contains("mm.bootstrap.admin-token");

            ApiAnswer company = service.post("/companies", adminToken, """
                    {"name":"Secretive","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"api",
                     "ministraPassword":"sentinel-ministra-password-a1"}""");
            assertThat(company.status()).as(company.toString()).isEqualTo(201);
            ApiAnswer user = service.post("/users", adminToken, """
                    {"username":"sam.secret","role":"viewer","allCompanies":true,
                     "password":"sentinel-user-password-b2"}""");
            assertThat(user.status()).as(user.toString()).isEqualTo(201);
            String issuedToken = user.json().get("token").asText();
            secrets.put("ministraPassword", "sentinel-ministra-password-a1");
            secrets.put("user password", "sentinel-user-password-b2");
            secrets.put("issued token", issuedToken);

            assertThat(service.send(basic(service, "sam.secret", "sentinel-user-password-b2")).status())
                    .isEqualTo(200);
            assertThat(service.send(basic(service, "sam.secret", "sentinel-wrong-password-c3")).status())
                    .isEqualTo(401);
            secrets.put("wrong password", "sentinel-wrong-password-c3");
            assertThat(service.get("/companies", issuedToken).status()).isEqualTo(200);
            assertThat(service.patch("/users/sam.secret", adminToken, "{\"password\":\"sentinel-new-password-d4\"}")
                    .status()).isEqualTo(200);
            secrets.put("changed password", "sentinel-new-password-d4");
            ApiAnswer rotated = service.post("/users/sam.secret/token", adminToken, null);
            assertThat(rotated.status()).isEqualTo(200);
            secrets.put("rotated token", rotated.json().get("token").asText());
            assertThat(service.get("/companies", "mm_0123456789abcdef_" + "S".repeat(43)).status())
                    .isEqualTo(401);
            secrets.put("unknown token", "S".repeat(43));
        }
    }

    private static java.net.http.HttpRequest.Builder basic(ServiceUnderTest service, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return service.request(service.api("/companies"), null).header("Authorization", "Basic " + credentials)
                .GET();
    }

    private static Iterable<String> configuredKeys() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config/application.properties"))) {
            properties.load(reader);
        }
        return properties.stringPropertyNames();
    }
}
