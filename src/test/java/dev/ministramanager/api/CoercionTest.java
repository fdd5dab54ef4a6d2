package dev.ministramanager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
 * JSON values of the wrong type are refused, never converted: for every request body member of every operation in
 * the served OpenAPI document, each value of another JSON type is a 400 naming the member, and nothing is stored. On
 * PATCH a null member is refused too (it would otherwise be ignored while the client believes it cleared the value).
 */
class CoercionTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final Map<String, List<String>> WRONG_VALUES = Map.of(
            "string", List.of("true", "false", "0", "1", "1.5", "{}", "[]"),
            "boolean", List.of("0", "1", "\"true\"", "\"false\"", "\"\"", "1.0", "[]", "{}"),
            "integer", List.of("\"1\"", "true", "1.5", "\"\"", "[]", "{}"),
            "number", List.of("\"0.5\"", "true", "\"\"", "[]", "{}"),
            "array", List.of("\"1\"", "1", "true", "{}"));

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void everyWrongTypeIsRefusedNamingTheMember(String databaseKind) {
        try (TestDatabase database = databaseKind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of())) {
            long company = ServiceFixture.company(service, "Coerced", "http://127.0.0.1:9", "");
            Map<String, Long> before = TableCounts.of(database);
            SoftAssertions softly = new SoftAssertions();
            int cases = 0;
            List<Operation> withBodies = new ArrayList<>();
            for (Operation operation : OpenApiOperations.of(service)) {
                if (operation.bodyMembers().isEmpty()) {
                    continue;
                }
                withBodies.add(operation);
                String path = operation.path(parameter -> parameter.equals("companyId") ? String.valueOf(company)
                        : parameter.equals("command") ? "reboot" : "1") + "?company=" + company;
                for (Map.Entry<String, String> member : operation.bodyMembers().entrySet()) {
                    List<String> wrong = new ArrayList<>(WRONG_VALUES.getOrDefault(member.getValue(), List.of()));
                    if (operation.method().equals("PATCH")) {
                        wrong.add("null");
                    }
                    for (String value : wrong) {
                        String body = "{\"" + member.getKey() + "\":" + value + "}";
                        ApiAnswer answer = service.send(service.request(service.api(path), ADMIN)
                                .header("Content-Type", "application/json")
                                .method(operation.method(), java.net.http.HttpRequest.BodyPublishers.ofString(body)));
                        cases++;
                        softly.assertThat(answer.status()).as(operation + " " + body + " -> " + answer)
                                .isEqualTo(400);
                        if (answer.status() == 400) {
                            softly.assertThat(answer.contentType()).as(operation + " " + body)
                                    .isEqualTo("application/problem+json");
                            softly.assertThat(answer.json().path("field").asText()).as(operation + " " + body)
                                    .isEqualTo(member.getKey());
                        }
                    }
                }
            }
            softly.assertThat(withBodies).as("operations with a JSON body").hasSizeGreaterThan(10);
            softly.assertThat(cases).isGreaterThan(200);
            softly.assertThat(TableCounts.of(database)).as("rows after the refused requests").isEqualTo(before);
            softly.assertAll();
        }
    }
}
