package dev.ministramanager.openapi;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The document tells the truth: real requests of every tag, successes and failures, sent to the running service
 * (on PostgreSQL, and on H2 in the h2 run; the simulator over HTTP), and each answer validated against the
 * operation the document describes with swagger-request-validator (Atlassian's OpenAPI request/response validator,
 * which treats every object schema as closed: a member the schema does not name is an error). A status code,
 * content type, body or member the document does not describe fails the test; so does a valid request the
 * document would refuse, a query or header parameter it does not declare, and a tag with no sampled request.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class ApiAnswersMatchTheContractTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    private static TestDatabase database;
    private static ServiceUnderTest service;
    /** For the event stream, whose answer stays open: read as it comes, over HTTP/1.1 as a browser's EventSource. */
    private static final HttpClient STREAMS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static OpenApiInteractionValidator validator;
    private static OpenAPI openApi;
    private final List<String> violations = new ArrayList<>();
    private final Set<String> tagsSeen = new TreeSet<>();
    private final Set<String> tagsSeenFailing = new TreeSet<>();

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.accounts.push.poll-interval-ms", "50",
            "mm.accounts.push.retry-initial-delay-ms", "100", "mm.accounts.push.max-attempts", "2"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
        // the first render reads every request and answer type: on a machine busy with other builds it has taken
        // longer than a request's usual 30 s
        String document = service.send(service.request(service.api("/openapi.json"), null)
                .timeout(Duration.ofMinutes(2))).body();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        openApi = new OpenAPIParser().readContents(document, null, null).getOpenAPI();
    }

    @Test
    void realAnswersOfEveryTagMatchTheDocument(MinistraSimulator ministra) {
        // Companies and tariff plans
        long companyA = call("POST", "/companies", ADMIN, company("Contract A", ministra), 201).json()
                .get("id").asLong();
        long companyB = call("POST", "/companies", ADMIN, company("Contract B", ministra), 201).json()
                .get("id").asLong();
        call("GET", "/companies", ADMIN, null, 200);
        call("GET", "/companies/" + companyA, ADMIN, null, 200);
        call("PATCH", "/companies/" + companyA, ADMIN, "{\"readTimeoutMs\":6000}", 200);
        call("POST", "/companies/" + companyA + "/test-connection", ADMIN, null, 200);
        call("POST", "/companies", ADMIN, "{\"name\":\"\"}", 400);
        call("GET", "/companies/999999", ADMIN, null, 404);
        call("POST", "/companies/" + companyA + "/tariffs/sync", ADMIN, null, 200);
        call("POST", "/companies/" + companyB + "/tariffs/sync", ADMIN, null, 200);
        JsonNode plans = call("GET", "/tariffs?company=" + companyA + "&status=active", ADMIN, null, 200).json();
        long planId = (plans.isArray() ? plans : plans.get("items")).get(0).get("id").asLong();
        call("GET", "/tariffs/" + planId, ADMIN, null, 200);
        call("GET", "/tariffs/" + planId + "/accounts?limit=10", ADMIN, null, 200);
        call("GET", "/tariffs/sync-runs?company=" + companyA + "&limit=5", ADMIN, null, 200);
        call("GET", "/tariffs/sync-runs?limit=0", ADMIN, null, 400);

        // Users
        String viewer = call("POST", "/users", ADMIN, "{\"username\":\"contract-viewer\",\"role\":\"viewer\","
                + "\"companies\":[" + companyA + "]}", 201).json().get("token").asText();
        call("GET", "/users", ADMIN, null, 200);
        call("GET", "/users/contract-viewer", ADMIN, null, 200);
        call("PATCH", "/users/contract-viewer", ADMIN, "{\"companies\":[" + companyA + "," + companyB + "]}", 200);
        viewer = call("POST", "/users/contract-viewer/token", ADMIN, null, 200).json().get("token").asText();
        call("GET", "/users", viewer, null, 403);
        call("GET", "/users", null, null, 401);

        // Accounts and billing customers
        String mac = "00:1A:79:00:C0:01";
        call("POST", "/accounts?company=" + companyA, ADMIN, "{\"login\":\"contract1\",\"tariff\":\"basic\","
                + "\"stbMac\":\"" + mac + "\",\"customerRef\":\"C-1\",\"password\":\"Pw-contract-1\"}", 201);
        call("POST", "/accounts?company=" + companyA, ADMIN, "{\"login\":\"contract1\"}", 409);
        call("POST", "/accounts?company=" + companyA, ADMIN, "{\"login\":\"bad login\"}", 400);
        call("POST", "/accounts?company=" + companyA, viewer, "{\"login\":\"viewer-may-not\"}", 403);
        waitForSync(companyA, "contract1", "synced"::equals);
        call("GET", "/accounts?company=" + companyA + "&limit=10&customerRef=C-1", ADMIN, null, 200);
        ApiAnswer account = call("GET", "/accounts/contract1?company=" + companyA, ADMIN, null, 200);
        call("PATCH", "/accounts/contract1?company=" + companyA, ADMIN, "{\"fullName\":\"Con Tract\"}", 200,
                Map.of("If-Match", account.header("ETag")));
        call("PATCH", "/accounts/contract1?company=" + companyA, ADMIN, "{\"fullName\":\"Stale\"}", 412,
                Map.of("If-Match", account.header("ETag")));
        call("GET", "/accounts/contract1/history?company=" + companyA, ADMIN, null, 200);
        call("GET", "/accounts/nobody?company=" + companyA, ADMIN, null, 404);
        call("POST", "/accounts/contract1/password?company=" + companyA, ADMIN, "{}", 200);
        call("POST", "/accounts/contract1/deactivate?company=" + companyA, ADMIN, null, 200);
        call("POST", "/accounts/contract1/activate?company=" + companyA, ADMIN, null, 200);
        call("POST", "/provision?company=" + companyA + "&wait=10", ADMIN, "{\"login\":\"contract2\"}", 201);
        call("POST", "/customers/C-1/deactivate?company=" + companyA, ADMIN, null, 200);
        call("POST", "/customers/C-1/activate?company=" + companyA, ADMIN, null, 200);
        call("POST", "/customers/C-404/activate?company=" + companyA, ADMIN, null, 404);
        call("POST", "/accounts/contract1/push?company=" + companyA, ADMIN, null, 202);

        // Dead letters: the same box in another company's account is refused by Ministra ("MAC ... in use")
        call("POST", "/accounts?company=" + companyB, ADMIN, "{\"login\":\"contract3\",\"stbMac\":\"" + mac
                + "\"}", 201);
        waitForSync(companyB, "contract3", "dead"::equals);
        JsonNode letters = call("GET", "/dead-letters?company=" + companyB, ADMIN, null, 200).json();
        long letterId = (letters.isArray() ? letters : letters.get("items")).get(0).get("id").asLong();
        call("GET", "/dead-letters/" + letterId, ADMIN, null, 200);
        call("PATCH", "/accounts/contract3?company=" + companyB, ADMIN, "{\"stbMac\":\"00:1A:79:00:C0:03\"}", 200);
        call("POST", "/dead-letters/" + letterId + "/replay", ADMIN, null, 200);
        call("POST", "/dead-letters/" + letterId + "/discard", ADMIN, null, 409);
        call("POST", "/dead-letters/replay?company=" + companyB, ADMIN, "{\"cause\":\"rejected\"}", 200);

        // Status
        call("POST", "/accounts/contract1/pull?company=" + companyA, ADMIN, null, 200);
        // read now: the account's answer carries Ministra's snapshot, which the document says is a MinistraSnapshot
        JsonNode snapshot = call("GET", "/accounts/contract1?company=" + companyA, ADMIN, null, 200).json()
                .get("ministra");
        assertThat(snapshot.get("inMinistra").asBoolean()).as(snapshot.toString()).isTrue();
        assertThat(snapshot.get("readBy").asText()).isEqualTo("pull");
        call("GET", "/status/accounts/contract1?company=" + companyA, ADMIN, null, 200);
        // never read from Ministra: its snapshot is null, which the document must allow
        assertThat(call("GET", "/status/accounts/contract3?company=" + companyB, ADMIN, null, 200).json()
                .get("ministra").isNull()).isTrue();
        call("GET", "/status/accounts?company=" + companyA + "&online=false&limit=10", ADMIN, null, 200);
        call("GET", "/status/summary", ADMIN, null, 200);
        call("POST", "/companies/" + companyA + "/status/refresh", ADMIN, null, 200);
        call("GET", "/status/accounts/nobody?company=" + companyA, ADMIN, null, 404);

        // Reconciliation
        long runId = call("POST", "/reconciliation/runs?company=" + companyA, ADMIN, "{}", 201).json()
                .get("id").asLong();
        call("GET", "/reconciliation/runs/" + runId + "?limit=10", ADMIN, null, 200);
        call("GET", "/companies/" + companyA + "/reconciliation-policy", ADMIN, null, 200);
        call("PUT", "/companies/" + companyA + "/reconciliation-policy", ADMIN, "{\"policy\":\"report\"}", 200);
        call("PUT", "/companies/" + companyA + "/reconciliation-policy", ADMIN, "{\"policy\":\"sometimes\"}", 400);

        // Imports
        call("POST", "/companies/" + companyA + "/imports/ministra?dryRun=true", ADMIN, null, 200);
        call("POST", "/companies/" + companyA + "/imports/csv?dryRun=true", ADMIN,
                "login;tariff;stbMac\ncontract-csv1;basic;\ncontract-csv2;basic;00:1A:79\n", 200,
                Map.of("Content-Type", "text/csv"));
        call("POST", "/companies/" + companyA + "/imports/csv", ADMIN, "login,colour\nx,red\n", 400,
                Map.of("Content-Type", "text/csv"));
        long importId = call("POST", "/companies/" + companyA + "/imports/csv", ADMIN, "login\ncontract-csv1\n",
                202, Map.of("Content-Type", "text/csv")).json().get("id").asLong();
        call("GET", "/imports/" + importId, ADMIN, null, 200);
        call("GET", "/imports/" + importId + "/report", ADMIN, null, 200);
        call("GET", "/imports/999999", ADMIN, null, 404);

        // STB commands
        call("POST", "/accounts/contract1/stb/reload-portal?company=" + companyA, ADMIN, null, 200);
        call("POST", "/accounts/contract2/stb/reboot?company=" + companyA, ADMIN, null, 409);
        call("POST", "/stb/commands?company=" + companyA, ADMIN, "{\"command\":\"update-channels\","
                + "\"logins\":[\"contract1\"]}", 200);

        // Console: who is signed in and the dashboard
        call("GET", "/session", ADMIN, null, 200);
        call("GET", "/dashboard?company=" + companyA, ADMIN, null, 200);
        call("POST", "/session", null, "{\"username\":\"nobody-here\",\"password\":\"wrong-password\"}", 401);

        // Webhooks and events
        long webhook = call("POST", "/webhooks?company=" + companyA, ADMIN,
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"account.*\"]}", 201).json().get("id").asLong();
        call("GET", "/webhooks?company=" + companyA, ADMIN, null, 200);
        ApiAnswer webhookRead = call("GET", "/webhooks/" + webhook, ADMIN, null, 200);
        call("GET", "/webhooks/999999", ADMIN, null, 404);
        call("GET", "/webhooks?company=" + companyA, viewer, null, 403);
        call("PATCH", "/webhooks/" + webhook, ADMIN, "{\"enabled\":false}", 200);
        call("GET", "/webhooks/" + webhook + "/deliveries?limit=5", ADMIN, null, 200);
        call("POST", "/webhooks/" + webhook + "/secret", ADMIN, null, 200);
        call("GET", "/webhook-dead-letters?company=" + companyA + "&webhook=" + webhook + "&limit=5", ADMIN, null,
                200);
        call("GET", "/events?company=" + companyA + "&after=0&types=account.*&limit=5", ADMIN, null, 200);
        call("GET", "/events?company=" + companyA + "&limit=0", ADMIN, null, 400);
        call("DELETE", "/webhooks/" + webhook, ADMIN, null, 200);
        // the live stream (served beside the REST routes): its first event, then the next one after Last-Event-ID
        JsonNode first = firstStreamedEvent(stream("/events/stream?company=" + companyA + "&types=account.*&after=0",
                ADMIN, Map.of(), 200));
        assertThat(first.get("type").asText()).isEqualTo("account.created");
        JsonNode next = firstStreamedEvent(stream("/events/stream?company=" + companyA + "&types=account.*", ADMIN,
                Map.of("Last-Event-ID", first.get("sequence").asText()), 200));
        assertThat(next.get("sequence").asLong()).isGreaterThan(first.get("sequence").asLong());
        // a company the caller may not see
        stream("/events/stream?company=999999", viewer, Map.of(), 404);
        stream("/events/stream?after=soon", ADMIN, Map.of(), 400);
        stream("/events/stream", null, Map.of(), 401);

        // the HTTP server's own answers
        call("POST", "/accounts?company=" + companyA, ADMIN, "{\"login\":", 400);
        call("POST", "/stb/commands?company=" + companyA, ADMIN, "not json", 415, Map.of("Content-Type",
                "text/plain"));

        assertThat(violations).as("answers the document does not describe").isEmpty();
        // and the validator does catch an answer the document does not describe
        assertThat(validator.validateResponse("/api/v1/companies", Request.Method.GET,
                SimpleResponse.Builder.status(418).withContentType("application/json").withBody("{}").build())
                .hasErrors()).isTrue();
        // and a member the document does not describe
        String undocumentedMember = webhookRead.body().replaceFirst("\\{", "{\"undocumented\":1,");
        assertThat(validator.validateResponse("/api/v1/webhooks/" + webhook, Request.Method.GET,
                SimpleResponse.Builder.ok().withContentType("application/json").withBody(undocumentedMember).build())
                .hasErrors()).as(undocumentedMember).isTrue();
        Set<String> allTags = new TreeSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(o -> allTags.addAll(o.getTags())));
        Set<String> unsampled = new TreeSet<>(allTags);
        unsampled.removeAll(tagsSeen);
        assertThat(unsampled).as("tags with no sampled successful request").isEmpty();
        Set<String> unsampledProblems = new TreeSet<>(allTags);
        unsampledProblems.removeAll(tagsSeenFailing);
        assertThat(unsampledProblems).as("tags with no sampled problem answer").isEmpty();
        // the state behind the answers: Ministra has the accounts, and the replayed one under its new MAC
        assertThat(ministra.accountsSnapshot()).anySatisfy(row -> assertThat(row.toString()).contains("contract1"));
        waitForSync(companyB, "contract3", "synced"::equals);
    }

    private void waitForSync(long companyId, String login, Predicate<String> state) {
        eventually(login + " to reach the expected sync state",
                () -> service.get("/accounts/" + login + "?company=" + companyId, ADMIN).json().get("sync")
                        .get("state").asText(), state);
    }

    private ApiAnswer call(String method, String pathAndQuery, String token, String body, int expected) {
        return call(method, pathAndQuery, token, body, expected, Map.of());
    }

    /** Sends the request, checks its status and validates the answer (and a successful request) against the document. */
    private ApiAnswer call(String method, String pathAndQuery, String token, String body, int expected,
                           Map<String, String> headers) {
        URI uri = service.api(pathAndQuery);
        HttpRequest.Builder request = service.request(uri, token).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String contentType = headers.getOrDefault("Content-Type", body == null ? null : "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach((name, value) -> {
            if (!name.equals("Content-Type")) {
                request.header(name, value);
            }
        });
        return checked(method, uri, token, body, contentType, headers, service.send(request), expected);
    }

    /**
     * Opens the event stream and reads its answer up to the end of its first event (a problem whole), then checks
     * it as {@link #call} does. The stream stays open until the client goes: it is closed here.
     */
    private ApiAnswer stream(String pathAndQuery, String token, Map<String, String> headers, int expected) {
        URI uri = service.api(pathAndQuery);
        HttpRequest.Builder request = service.request(uri, token).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        if (expected != 200) {
            // a problem is a whole answer
            return checked("GET", uri, token, null, null, headers, service.send(request), expected);
        }
        try {
            HttpResponse<InputStream> response = STREAMS.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                // a thread of its own: the common pool may be busy with the service's work in this JVM
                String read = CompletableFuture.supplyAsync(() -> response.statusCode() == 200
                        ? upToTheFirstEvent(body) : whole(body), task -> {
                            Thread reader = new Thread(task, "contract-stream-reader");
                            reader.setDaemon(true);
                            reader.start();
                        }).get(30, TimeUnit.SECONDS);
                return checked("GET", uri, token, null, null, headers,
                        new ApiAnswer(response.statusCode(), response.headers(), read), expected);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError("GET " + pathAndQuery + ": no answer up to a first event", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String upToTheFirstEvent(InputStream stream) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        StringBuilder read = new StringBuilder();
        try {
            boolean inEvent = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                read.append(line).append('\n');
                if (line.isEmpty() && inEvent) {
                    break;
                }
                inEvent |= line.startsWith("data: ");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read.toString();
    }

    private static String whole(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event of the first frame a stream answered, checked against the document: its {@code data} as an item of
     * {@code GET /events} (the {@code Event} schema), its {@code id} and {@code event} as the event's sequence number
     * and type.
     */
    private JsonNode firstStreamedEvent(ApiAnswer stream) {
        Map<String, String> fields = new java.util.HashMap<>();
        stream.body().lines().filter(line -> line.matches("^(id|event|data): .*"))
                .forEach(line -> fields.put(line.substring(0, line.indexOf(':')),
                        line.substring(line.indexOf(' ') + 1)));
        assertThat(fields).as(stream.body()).containsOnlyKeys("id", "event", "data");
        JsonNode event = new ApiAnswer(200, stream.headers(), fields.get("data")).json();
        ValidationReport report = validator.validateResponse("/api/v1/events", Request.Method.GET,
                SimpleResponse.Builder.ok().withContentType("application/json")
                        .withBody("{\"items\":[" + fields.get("data") + "],\"next\":1}").build());
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> violations.add("streamed event " + fields.get("data") + ": " + m.getMessage()));
        assertThat(fields.get("id")).isEqualTo(event.get("sequence").asText());
        assertThat(fields.get("event")).isEqualTo(event.get("type").asText());
        return event;
    }

    private ApiAnswer checked(String method, URI uri, String token, String body, String contentType,
                              Map<String, String> headers, ApiAnswer answer, int expected) {
        String pathAndQuery = uri.getRawQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getRawQuery();
        assertThat(answer.status()).as(method + " " + pathAndQuery + " -> " + answer).isEqualTo(expected);

        SimpleRequest.Builder documented = new SimpleRequest.Builder(method, uri.getPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                documented.withQueryParam(nameValue[0], URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
                undeclared(method, uri.getPath(), nameValue[0], "query");
            }
        }
        headers.keySet().stream().filter(name -> !name.equals("Content-Type"))
                .forEach(name -> undeclared(method, uri.getPath(), name, "header"));
        if (token != null) {
            documented.withAuthorization("Bearer " + token);
        }
        if (contentType != null) {
            documented.withContentType(contentType);
        }
        headers.forEach(documented::withHeader);
        if (body != null) {
            documented.withBody(body);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        if (answer.contentType() != null) {
            response.withContentType(answer.contentType());
        }
        if (answer.body() != null && !answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        ValidationReport report = expected < 300
                ? validator.validate(documented.build(), response.build())
                : validator.validateResponse(uri.getPath(), Request.Method.valueOf(method), response.build());
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> violations.add(method + " " + pathAndQuery + " -> " + answer.status() + ": "
                        + m.getKey() + " " + m.getMessage()));
        tagOf(method, uri.getPath()).ifPresent(expected < 400 ? tagsSeen::add : tagsSeenFailing::add);
        return answer;
    }

    /**
     * A parameter the request sends that its operation does not declare: the validator lets it pass, yet an
     * integrator could not know of it (nor a generated client send it).
     */
    private void undeclared(String method, String path, String name, String in) {
        boolean declared = operationOf(method, path).map(operation -> operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> in.equals(p.getIn())
                && p.getName().equalsIgnoreCase(name))).orElse(false);
        if (!declared) {
            violations.add(method + " " + path + ": the " + in + " parameter '" + name + "' is not in the document");
        }
    }

    private static java.util.Optional<String> tagOf(String method, String path) {
        return operationOf(method, path).map(operation -> operation.getTags().get(0));
    }

    private static java.util.Optional<io.swagger.v3.oas.models.Operation> operationOf(String method, String path) {
        String relative = path.substring("/api/v1".length());
        // a literal segment wins over a variable (/tariffs/sync-runs is not /tariffs/{id})
        return openApi.getPaths().entrySet().stream()
                .filter(entry -> relative.matches(entry.getKey().replaceAll("\\{[^}]+}", "[^/]+")))
                .sorted(java.util.Comparator.comparingLong(entry -> entry.getKey().chars().filter(c -> c == '{')
                        .count()))
                .map(entry -> entry.getValue().readOperationsMap().get(
                        io.swagger.v3.oas.models.PathItem.HttpMethod.valueOf(method)))
                .filter(java.util.Objects::nonNull).findFirst();
    }

    private static String company(String name, MinistraSimulator ministra) {
        return """
                {"name":"%s","ministraBaseUrl":"%s","ministraUser":"ministra","ministraPassword":"ministra-secret",
                 "readTimeoutMs":5000,"sharedMinistra":true}""".formatted(name, ministra.apiBaseUrl());
    }
}
