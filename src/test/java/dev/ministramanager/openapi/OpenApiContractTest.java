package dev.ministramanager.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The document served at /api/v1/openapi.json is valid OpenAPI 3 (swagger-parser, the reference parser of the
 * OpenAPI tools, reports no message at all) and complete: every operation says what it does, who may call it, what
 * it takes and what it answers. A new endpoint that is not documented fails here, naming what it lacks.
 */
class OpenApiContractTest {

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final List<String> TAGS = List.of("Accounts", "Billing customers", "Companies", "Console",
            "Dead letters", "Events", "Imports", "Reconciliation", "STB commands", "Status", "Tariff plans", "Users", "Webhooks");

    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static String document;

    // the document does not depend on the database: H2 only (the answers are checked on both by
    // ApiAnswersMatchTheContractTest)
    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(Map.of());

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        ApiAnswer answer = service.get("/openapi.json", null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        document = answer.body();
        try {
            // for a look at what an integrator gets
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/openapi.json"), document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDocumentIsValidOpenApi3WithoutAnyMessage() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("swagger-parser messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
    }

    @Test
    void everyOperationIsDocumented() {
        OpenAPI openApi = new OpenAPIParser().readContents(document, null, new ParseOptions()).getOpenAPI();
        List<String> gaps = new ArrayList<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path + " (" + operation.getOperationId() + ")";
            gaps.addAll(gapsOf(name, path, operation));
        }));
        assertThat(gaps).as("undocumented parts of the API").isEmpty();
        assertThat(openApi.getPaths()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(openApi.getTags()).as("the capabilities, each described")
                .allSatisfy(tag -> assertThat(tag.getDescription()).as(tag.getName()).isNotBlank())
                .extracting(io.swagger.v3.oas.models.tags.Tag::getName).containsExactlyInAnyOrderElementsOf(TAGS);
    }

    @Test
    void everySuccessAnswerHasAConcreteSchemaAndAWholeExampleTheDocumentAllows() throws IOException {
        OpenAPI openApi = new OpenAPIParser().readContents(document, null, new ParseOptions()).getOpenAPI();
        JsonNode raw = new ObjectMapper().readTree(document);
        OpenApiInteractionValidator validator = OpenApiInteractionValidator
                .createForInlineApiSpecification(document).build();
        List<String> gaps = new ArrayList<>();
        int examplesChecked = 0;
        for (var path : openApi.getPaths().entrySet()) {
            for (var operation : path.getValue().readOperationsMap().entrySet()) {
                String name = operation.getKey() + " " + path.getKey();
                for (var answer : operation.getValue().getResponses().entrySet()) {
                    String code = answer.getKey();
                    var content = answer.getValue().getContent();
                    if (!code.startsWith("2") || code.equals("204") || content != null
                            && (content.containsKey("text/csv") || content.containsKey("text/event-stream"))) {
                        continue;
                    }
                    MediaType json = content == null ? null : content.get("application/json");
                    if (json == null || json.getSchema() == null) {
                        gaps.add(name + " " + code + ": no application/json schema");
                        continue;
                    }
                    Schema<?> schema = json.getSchema();
                    Schema<?> record = "array".equals(schema.getType()) ? schema.getItems() : schema;
                    if (record == null || record.get$ref() == null) {
                        gaps.add(name + " " + code + ": the answer is no record's schema (responseModel)");
                    } else {
                        gapsOfMembers(openApi, record.get$ref(), new HashSet<>(), gaps);
                    }
                    JsonNode example = raw.at("/paths/" + pointer(path.getKey()) + "/"
                            + operation.getKey().name().toLowerCase(java.util.Locale.ROOT) + "/responses/" + code
                            + "/content/application~1json/example");
                    if (example.isMissingNode()) {
                        gaps.add(name + " " + code + ": no example");
                        continue;
                    }
                    ValidationReport report = validator.validateResponse(
                            "/api/v1" + path.getKey().replaceAll("\\{[^}]+}", "1"),
                            Request.Method.valueOf(operation.getKey().name()),
                            SimpleResponse.Builder.status(Integer.parseInt(code)).withContentType("application/json")
                                    .withBody(example.toString()).build());
                    report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                            .forEach(m -> gaps.add(name + " " + code + ": example refused: " + m.getMessage()));
                    examplesChecked++;
                }
            }
        }
        assertThat(new TreeSet<>(gaps)).as("success answers without a concrete schema or a valid example").isEmpty();
        assertThat(examplesChecked).isGreaterThanOrEqualTo(50);
        // an example is the answer, not a type placeholder
        assertThat(raw.at("/paths/~1accounts~1{login}/get/responses/200/content/application~1json/example/login")
                .asText()).isEqualTo("jdoe");
    }

    /**
     * Each member of an answer record, through nested records: a free text or number has an example of its own (an
     * enum, a date-time, a flag or a member that may be null is exemplified by its type), and an object without
     * members is a typed map or says what it holds.
     */
    private static void gapsOfMembers(OpenAPI openApi, String ref, Set<String> visited, List<String> gaps) {
        String record = ref.substring(ref.lastIndexOf('/') + 1);
        if (!visited.add(record)) {
            return;
        }
        Schema<?> schema = openApi.getComponents().getSchemas().get(record);
        if (schema == null || schema.getProperties() == null || schema.getProperties().isEmpty()) {
            gaps.add(record + ": a record with no members (a free-form object)");
            return;
        }
        schema.getProperties().forEach((member, property) -> {
            Schema<?> target = property.getAllOf() != null && property.getAllOf().size() == 1
                    ? (Schema<?>) property.getAllOf().get(0) : property;
            if (target.get$ref() != null) {
                gapsOfMembers(openApi, target.get$ref(), visited, gaps);
                return;
            }
            if ("array".equals(target.getType()) && target.getItems() != null && target.getItems().get$ref() != null) {
                gapsOfMembers(openApi, target.getItems().get$ref(), visited, gaps);
                return;
            }
            Schema<?> items = target.getItems();
            boolean exemplifiedByType = target.getExample() != null || target.getEnum() != null
                    || Boolean.TRUE.equals(target.getNullable()) || "boolean".equals(target.getType())
                    || "date-time".equals(target.getFormat()) || "date".equals(target.getFormat())
                    || items != null && (items.getExample() != null || items.getEnum() != null);
            if ("object".equals(target.getType()) && target.getProperties() == null) {
                boolean typedMap = target.getAdditionalProperties() instanceof Schema<?>;
                if (!typedMap && (target.getDescription() == null || target.getDescription().isBlank())) {
                    gaps.add(record + "." + member + ": a free-form object that does not say what it holds");
                }
                if (typedMap && target.getExample() == null) {
                    gaps.add(record + "." + member + ": a map needs an example");
                }
            } else if (!exemplifiedByType) {
                gaps.add(record + "." + member + ": needs an example (@Schema(example = ...))");
            }
        });
    }

    private static String pointer(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    @Test
    void requestSchemasCarryTheRulesOfTheirTypes() {
        OpenAPI openApi = new OpenAPIParser().readContents(document, null, new ParseOptions()).getOpenAPI();
        var newAccount = openApi.getComponents().getSchemas().get("NewAccount");
        assertThat(newAccount.getRequired()).containsExactly("login");
        var login = (io.swagger.v3.oas.models.media.Schema<?>) newAccount.getProperties().get("login");
        assertThat(login.getPattern()).isEqualTo("^[A-Za-z0-9._@-]{1,64}$");
        assertThat(login.getMaxLength()).isEqualTo(64);
        var mac = (io.swagger.v3.oas.models.media.Schema<?>) newAccount.getProperties().get("stbMac");
        assertThat("00:1A:79:12:34:56").matches(mac.getPattern());
        assertThat(openApi.getComponents().getSchemas().get("NewCompany").getRequired())
                .containsExactlyInAnyOrder("name", "ministraBaseUrl", "ministraUser", "ministraPassword");
        assertThat(openApi.getComponents().getSchemas().get("NewWebhook").getRequired())
                .containsExactlyInAnyOrder("url", "events");
        assertThat(openApi.getComponents().getSchemas().get("SignIn").getRequired())
                .containsExactlyInAnyOrder("username", "password");
        assertThat(openApi.getComponents().getSchemas().get("NewApiUser").getRequired())
                .containsExactlyInAnyOrder("username", "role");
        assertThat(openApi.getComponents().getSchemas().get("PolicyChange").getRequired()).containsExactly("policy");
        assertThat(openApi.getPaths().get("/accounts").getPost().getRequestBody().getContent()
                .get("application/json").getSchema().get$ref()).endsWith("/NewAccount");
        assertThat(openApi.getComponents().getSecuritySchemes()).containsOnlyKeys("bearer", "basic", "session");
        assertThat(openApi.getPaths().get("/session").getPost().getSecurity()).isEmpty();
        assertThat(openApi.getPaths().get("/accounts/{login}").getDelete().getDescription())
                .contains("Requires the role `admin`");
    }

    @Test
    void theEventStreamServedBesideTheRestDslIsDocumentedLikeAnyOperation() throws IOException {
        OpenAPI openApi = new OpenAPIParser().readContents(document, null, new ParseOptions()).getOpenAPI();
        Operation stream = openApi.getPaths().get("/events/stream").getGet();
        assertThat(stream.getOperationId()).isEqualTo("events-stream");
        assertThat(stream.getTags()).containsExactly("Events");
        assertThat(stream.getSummary()).isEqualTo("Stream events as server-sent events");
        assertThat(stream.getDescription()).contains("Any signed-in user, filtered by what that user may see")
                .contains("Requires the role `viewer`");
        assertThat(stream.getSecurity()).hasSize(3);
        assertThat(stream.getParameters()).extracting(p -> p.getIn() + " " + p.getName())
                .containsExactly("query company", "query types", "query after", "header Last-Event-ID");
        Schema<?> after = stream.getParameters().get(2).getSchema();
        assertThat("now").matches(after.getPattern());
        assertThat("1042").matches(after.getPattern());
        // a viewer's read: no role check, no CSRF token, nothing stored
        assertThat(stream.getResponses()).containsOnlyKeys("200", "400", "401", "404", "429");
        MediaType frames = stream.getResponses().get("200").getContent().get("text/event-stream");
        assertThat(frames.getSchema().getType()).isEqualTo("string");
        String example = (String) frames.getExample();
        assertThat(example).startsWith("retry: 3000\n\nid: 1042\nevent: account.created\ndata: {");
        // the example's event is one the document allows as an item of GET /events
        String data = example.lines().filter(line -> line.startsWith("data: ")).findFirst().orElseThrow()
                .substring("data: ".length());
        ValidationReport report = OpenApiInteractionValidator.createForInlineApiSpecification(document).build()
                .validateResponse("/api/v1/events", Request.Method.GET, SimpleResponse.Builder.ok()
                        .withContentType("application/json").withBody("{\"items\":[" + data + "],\"next\":1042}")
                        .build());
        assertThat(report.getMessages()).as(data).noneMatch(m -> m.getLevel() == ValidationReport.Level.ERROR);
    }

    @Test
    void onlyOperationsThatCanConflictListA409() {
        OpenAPI openApi = new OpenAPIParser().readContents(document, null, new ParseOptions()).getOpenAPI();
        Set<String> withConflict = new TreeSet<>();
        Set<String> operationIds = new TreeSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            operationIds.add(operation.getOperationId());
            if (operation.getResponses().containsKey("409")) {
                withConflict.add(operation.getOperationId());
            }
        }));
        assertThat(operationIds).as("each operation ProblemResponses gives a 409 exists")
                .containsAll(ProblemResponses.CONFLICTS.keySet());
        Set<String> expected = new TreeSet<>(ProblemResponses.CONFLICTS.keySet());
        // declared on its verb: an account without a bound box
        expected.add("stb-command");
        assertThat(withConflict).isEqualTo(expected);
        assertThat(openApi.getPaths().get("/session").getDelete().getResponses()).doesNotContainKey("409")
                .containsKeys("403", "404");
    }

    @Test
    void swaggerUiServesOurDocumentOffline() {
        ApiAnswer bare = service.get("/docs", null);
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).isEqualTo("/api/v1/docs/");

        ApiAnswer index = service.get("/docs/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        // every file the page loads is ours to serve: nothing from a CDN
        Matcher sources = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(index.body());
        List<String> loaded = new ArrayList<>();
        while (sources.find()) {
            loaded.add(sources.group(1));
        }
        assertThat(loaded).isNotEmpty().allSatisfy(source -> {
            assertThat(source).doesNotContain("://");
            ApiAnswer file = service.get("/docs/" + source.replaceFirst("^\\./", ""), null);
            assertThat(file.status()).as(source).isEqualTo(200);
            assertThat(file.body()).as(source).isNotEmpty();
        });
        ApiAnswer initializer = service.get("/docs/swagger-initializer.js", null);
        assertThat(initializer.body()).contains("url: \"../openapi.json\"").contains("validatorUrl: null")
                .doesNotContain("petstore");
        assertThat(service.get("/docs/../../../etc/passwd", null).status()).isEqualTo(404);
        assertThat(service.get("/docs/swagger-ui.js.map", null).status()).isEqualTo(404);
    }

    private static List<String> gapsOf(String name, String path, Operation operation) {
        List<String> gaps = new ArrayList<>();
        if (operation.getSummary() == null || operation.getSummary().length() > 80) {
            gaps.add(name + ": needs a description in the REST DSL whose first sentence (the summary) is at most 80"
                    + " characters");
        }
        if (operation.getDescription() == null || !(operation.getDescription().contains("Requires the role")
                || operation.getDescription().contains("Needs no authentication"))) {
            gaps.add(name + ": needs a description and a security scope (its role)");
        }
        if (operation.getTags() == null || operation.getTags().size() != 1
                || !TAGS.contains(operation.getTags().get(0))) {
            gaps.add(name + ": needs a tag (REST DSL 'tag' of its rest block), one of " + TAGS + ", has "
                    + operation.getTags());
        }
        if (operation.getResponses() == null || operation.getResponses().keySet().stream()
                .noneMatch(code -> code.startsWith("2"))) {
            gaps.add(name + ": needs its success answers (REST DSL responseMessage with code and message)");
        } else {
            operation.getResponses().forEach((code, response) -> {
                if (!code.matches("[1-5][0-9][0-9]")) {
                    gaps.add(name + ": answer '" + code + "' is not a status code");
                }
                if (code.compareTo("400") >= 0 && (response.getContent() == null
                        || response.getContent().get("application/problem+json") == null
                        || !ProblemResponses.PROBLEM_REF.equals(response.getContent()
                                .get("application/problem+json").getSchema().get$ref()))) {
                    gaps.add(name + ": answer " + code + " must be problem+json with the shared Problem schema");
                }
                if (code.startsWith("2") && !code.equals("204") && !typed(response)) {
                    gaps.add(name + ": answer " + code + " needs its type (REST DSL responseModel: a record with"
                            + " swagger @Schema members)");
                }
            });
            for (String problem : List.of("400", "401")) {
                if (!operation.getResponses().containsKey(problem)) {
                    gaps.add(name + ": lacks the " + problem + " problem");
                }
            }
        }
        Matcher variables = PATH_VARIABLE.matcher(path);
        while (variables.find()) {
            String variable = variables.group(1);
            boolean typed = operation.getParameters() != null && operation.getParameters().stream().anyMatch(p ->
                    variable.equals(p.getName()) && "path".equals(p.getIn()) && constrained(p));
            if (!typed) {
                gaps.add(name + ": path variable {" + variable + "} needs a rule in ParameterRules");
            }
        }
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if (!constrained(parameter)) {
                    gaps.add(name + ": parameter '" + parameter.getName() + "' (" + parameter.getIn()
                            + ") needs a rule in ParameterRules");
                }
                if (parameter.getDescription() == null || parameter.getDescription().equals(parameter.getName())) {
                    gaps.add(name + ": parameter '" + parameter.getName() + "' needs a description");
                }
            }
        }
        return gaps;
    }

    private static boolean typed(io.swagger.v3.oas.models.responses.ApiResponse response) {
        // JSON with its record's schema, or text (a CSV report: text/csv; the event stream: text/event-stream)
        return response.getContent() != null && response.getContent().entrySet().stream()
                .filter(content -> List.of("application/json", "text/csv", "text/event-stream")
                        .contains(content.getKey()))
                .anyMatch(content -> content.getValue().getSchema() != null
                        && (content.getValue().getSchema().get$ref() != null
                        || content.getValue().getSchema().getType() != null));
    }

    private static boolean constrained(Parameter parameter) {
        var schema = parameter.getSchema();
        return schema != null && schema.getType() != null && (schema.getEnum() != null || schema.getPattern() != null
                || schema.getMaxLength() != null || schema.getMinimum() != null || "boolean".equals(schema.getType()));
    }
}
