package dev.ministramanager.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/** The console's session on the embedded default's H2: sign in, use the cookie with CSRF, sign out. */
class ConsoleSessionOnH2Test {

    @Test
    void aSessionWorksOnH2AsOnPostgres() {
        TestDatabase database = TestDatabase.h2();
        ServiceUnderTest service = ServiceUnderTest.start(database, Map.of());
        try {
            ConsoleSessionTest.createUser(service, "h2.console", "admin");
            String cookie = ConsoleSessionTest.signIn(service, "h2.console", "console pass phrase 42");
            ApiAnswer session = service.send(service.request(service.api("/session"), null)
                    .header("Cookie", cookie).GET());
            assertThat(session.status()).isEqualTo(200);
            String csrf = session.json().get("csrfToken").asText();

            ApiAnswer created = service.send(service.request(service.api("/companies"), null)
                    .header("Cookie", cookie).header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name":"H2 Co","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"a",
                             "ministraPassword":"p"}""")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(service.get("/companies/" + created.json().get("id").asLong(), ServiceUnderTest.ADMIN_TOKEN)
                    .json().get("name").asText()).isEqualTo("H2 Co");

            assertThat(service.send(service.request(service.api("/session"), null).header("Cookie", cookie)
                    .header("X-CSRF-Token", csrf).DELETE()).status()).isEqualTo(204);
            assertThat(service.send(service.request(service.api("/companies"), null).header("Cookie", cookie)
                    .GET()).status()).isEqualTo(401);
        } finally {
            Resources.closeAll(service, database);
        }
    }
}
