package dev.ministramanager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OpenApiOperations.Operation;
import dev.ministramanager.testsupport.OpenApiOperations;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TableCounts;
import dev.ministramanager.testsupport.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile text and values are refused with a 400 (404 for a company that does not exist) naming the field, the same
 * on PostgreSQL and H2, and nothing is stored: NUL, control characters and lone surrogates in every string member of
 * every request body, every path parameter and filter value (generated from the served OpenAPI document), and the
 * values a hostile review found accepted or crashing (ports, MACs, dates, dot logins, enum filters, huge numbers).
 */
class HostileStringsTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    /** JSON string literals: NUL, a bell, a lone high and a lone low surrogate, DEL. */
    private static final List<String> HOSTILE_JSON_STRINGS = List.of("\"a\\u0000b\"", "\"a\\u0007b\"",
            "\"a\\ud800b\"", "\"\\udc00\"", "\"a\\u007fb\"");

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void hostileInputIsRefusedAndChangesNothing(String databaseKind) throws SQLException {
        try (TestDatabase database = databaseKind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of())) {
            long company = ServiceFixture.company(service, "Hostile", "http://127.0.0.1:9", "");
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO tariff_plan (company_id, external_id, remote_id, name,"
                        + " user_default) VALUES (" + company + ", 'basic', '1', 'Basic', TRUE)");
            }
            ApiAnswer draft = service.post("/accounts?company=" + company, ADMIN,
                    "{\"login\":\"target\",\"tariff\":\"basic\",\"draft\":true,\"stbMac\":\"00-1a-79-00-00-01\"}");
            assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
            assertThat(draft.json().get("stbMac").asText()).isEqualTo("00:1A:79:00:00:01");

            Map<String, Long> before = TableCounts.of(database);
            SoftAssertions softly = new SoftAssertions();
            List<Operation> operations = OpenApiOperations.of(service);
            for (Operation operation : operations) {
                String path = operation.path(parameter -> parameter.equals("companyId") ? String.valueOf(company)
                        : parameter.equals("command") ? "reboot" : parameter.equals("login") ? "target" : "1");
                String query = "?company=" + company;
                for (Map.Entry<String, String> member : operation.bodyMembers().entrySet()) {
                    if (!member.getValue().equals("string")) {
                        continue;
                    }
                    for (String hostile : HOSTILE_JSON_STRINGS) {
                        expect(softly, service, operation.method(), path + query,
                                "{\"" + member.getKey() + "\":" + hostile + "}", 400, member.getKey());
                    }
                }
                // a CSV import takes a file (text/csv): sent as one, so that what is checked is the hostile value
                String body = operation.pathTemplate().endsWith("/imports/csv") ? "login\n"
                        : operation.bodyMembers().isEmpty() ? null : "{}";
                if (operation.pathTemplate().contains("{")) {
                    String nulInPath = operation.path(parameter -> "1%00y");
                    expect(softly, service, operation.method(), nulInPath + query, body, 400, "path");
                }
                if (operation.pathTemplate().equals("/session")) {
                    // the sign-in has no company (it documents none): only its text is checked
                    expect(softly, service, operation.method(), path + "?x=1%00", body, 400, "x");
                    continue;
                }
                expect(softly, service, operation.method(), path + "?company=" + company + "%00", body, 400,
                        "company");
                expect(softly, service, operation.method(), path + "?company=%2B" + company, body, 400, "company");
                if (!operation.pathTemplate().contains("{companyId}")) {
                    expect(softly, service, operation.method(), path + "?company=-1", body, 400, "company");
                    expect(softly, service, operation.method(), path + "?company=999999", body, 404, null);
                }
                if (operation.method().equals("GET")) {
                    expect(softly, service, "GET", path + query + "&q=a%00b", null, 400, "q");
                    expect(softly, service, "GET", path + query + "&status=a%01b", null, 400, "status");
                }
            }

            String accounts = "/accounts?company=" + company;
            expect(softly, service, "POST", "/companies", """
                    {"name":"Port","ministraBaseUrl":"http://127.0.0.1:99999","ministraUser":"a","ministraPassword":"p"}
                    """, 400, "ministraBaseUrl");
            for (String user : new String[] {"api\\r\\nX-Injected: 1", "api:admin", "api\\n"}) {
                expect(softly, service, "POST", "/companies", """
                        {"name":"User","ministraBaseUrl":"http://127.0.0.1:8","ministraUser":"%s","ministraPassword":"p"}
                        """.formatted(user), 400, "ministraUser");
            }
            expect(softly, service, "POST", "/companies", "{\"name\":\"Big\",\"ministraBaseUrl\":\"http://x\","
                    + "\"ministraUser\":\"a\",\"ministraPassword\":\"p\",\"connectTimeoutMs\":" + "9".repeat(5000)
                    + "}", 400, null);
            expect(softly, service, "POST", "/companies", "{\"name\":\"Big\",\"ministraBaseUrl\":\"http://x\","
                    + "\"ministraUser\":\"a\",\"ministraPassword\":\"p\",\"connectTimeoutMs\":99999999999}", 400,
                    "connectTimeoutMs");
            expect(softly, service, "POST", "/users",
                    "{\"username\":\"nul.pw\",\"role\":\"viewer\",\"password\":\"abcdef\\u0000ghijklmn\"}", 400,
                    "password");
            for (String login : new String[] {".", ".."}) {
                expect(softly, service, "POST", accounts, "{\"login\":\"" + login + "\",\"tariff\":\"basic\"}", 400,
                        "login");
                expect(softly, service, "POST", "/provision?company=" + company,
                        "{\"login\":\"" + login + "\",\"tariff\":\"basic\"}", 400, "login");
            }
            for (String mac : new String[] {"0:01A:7.90-0AA:2:1", "00:1A:79-00:00:02", "001A.7900.00", " 001A79000002"}) {
                expect(softly, service, "POST", accounts, "{\"login\":\"mac\",\"tariff\":\"basic\",\"stbMac\":\""
                        + mac + "\"}", 400, "stbMac");
            }
            for (String date : new String[] {"-0001-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
                "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z"}) {
                expect(softly, service, "POST", accounts, "{\"login\":\"dated\",\"tariff\":\"basic\",\"expiresAt\":\""
                        + date + "\"}", 400, "expiresAt");
            }
            expect(softly, service, "POST", accounts, "{\"login\":\"surrogate\",\"tariff\":\"basic\",\"fullName\":"
                    + "\"Ann\\ud83d\"}", 400, "fullName");
            expect(softly, service, "POST", "/accounts?company=999", "{\"login\":\"x\",\"tariff\":\"basic\"}", 404,
                    null);
            expect(softly, service, "POST", "/provision?company=999", "{\"login\":\"x\",\"tariff\":\"basic\"}", 404,
                    null);
            expect(softly, service, "POST", "/companies/999/tariffs/sync", null, 404, null);
            expect(softly, service, "GET", "/accounts?company=999", null, 404, null);
            expect(softly, service, "GET", "/dead-letters?company=" + company + "&cause=bogus", null, 400, "cause");
            expect(softly, service, "POST", "/dead-letters/replay?company=" + company, "{\"cause\":\"bogus\"}", 400,
                    "cause");
            expect(softly, service, "GET", "/status/accounts?company=" + company + "&limit=0", null, 400, "limit");
            ApiAnswer emptyIfMatch = service.send(service.request(service.api("/accounts/target?company=" + company),
                    ADMIN).header("Content-Type", "application/json").header("If-Match", "")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"fullName\":\"Changed\"}")));
            softly.assertThat(emptyIfMatch.status()).as("empty If-Match: " + emptyIfMatch).isEqualTo(400);

            softly.assertThat(TableCounts.of(database)).as("rows after the refused requests").isEqualTo(before);
            ApiAnswer target = service.get("/accounts/target?company=" + company, ADMIN);
            softly.assertThat(target.json().path("fullName").isNull() || target.json().path("fullName").isMissingNode())
                    .as("the account unchanged: " + target).isTrue();
            softly.assertAll();
        }
    }

    private static void expect(SoftAssertions softly, ServiceUnderTest service, String method, String path,
                               String body, int status, String field) {
        HttpRequest.Builder request = service.request(service.api(path), ADMIN);
        if (body != null) {
            request.header("Content-Type", path.contains("/imports/csv") ? "text/csv" : "application/json");
        }
        ApiAnswer answer = service.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
        String what = method + " " + path + " " + (body == null ? "" : body) + " -> " + answer;
        softly.assertThat(answer.status()).as(what).isEqualTo(status);
        if (answer.status() == status) {
            softly.assertThat(answer.contentType()).as(what).isEqualTo("application/problem+json");
            if (field != null) {
                softly.assertThat(answer.json().path("field").asText()).as(what).isEqualTo(field);
            }
        }
    }
}
