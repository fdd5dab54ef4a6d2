package dev.ministramanager.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.TableCounts;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against a real node: requests generated from the served OpenAPI document (every body member with
 * values of the wrong type, unknown members, no JSON, the wrong content type, NUL and control characters, huge
 * strings, SQL in identifiers), path traversal, an over-long URL and body, unreadable headers over a raw socket and
 * an unknown method. Every one is answered 4xx with problem+json, nothing is stored, and the node stays healthy.
 */
class HostileInputDrill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> WRONG_TYPES = Map.of(
            "string", List.of("true", "0", "1.5", "{}", "[]"),
            "boolean", List.of("0", "\"true\"", "\"\"", "[]"),
            "integer", List.of("\"1\"", "true", "1.5", "[]"),
            "number", List.of("\"0.5\"", "true", "[]"),
            "array", List.of("\"1\"", "1", "{}"));
    private static final List<String> HOSTILE_TEXT = List.of("\\u0000", "a\\u0007b", "x".repeat(100_000),
            "\\ud800");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private record Outcome(String request, int status, String contentType) {
    }

    @Test
    void hostileRequestsAreRefusedCleanlyAndChangeNothing() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); DrillProcesses processes = new DrillProcesses()) {
            DrillProcesses.Simulator simulator = processes.simulator().start();
            DrillProcesses.Node node = processes.node("hostile", database, Map.of()).start();
            long company = new DrillScenario(database, simulator).company(node);
            node.call("POST", "/accounts?company=" + company, """
                    {"login":"victim","password":"pw-victim","tariff":"basic","stbMac":"00:1A:79:00:66:01"}""");
            new DrillScenario(database, simulator).awaitConverged(60_000);
            Map<String, Long> before = TableCounts.of(database);

            String base = "http://127.0.0.1:" + node.httpPort + "/api/v1";
            JsonNode document = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            List<Outcome> outcomes = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> verbs = path.getValue().fields(); verbs.hasNext(); ) {
                    Map.Entry<String, JsonNode> verb = verbs.next();
                    String method = verb.getKey().toUpperCase();
                    String target = base + path.getKey().replace("{companyId}", String.valueOf(company))
                            .replace("{login}", "victim").replace("{command}", "reboot")
                            .replaceAll("\\{[^}]+}", "1") + "?company=" + company;
                    Map<String, String> members = members(document, verb.getValue());
                    // the sign-in is left out: its refusals are audited (rows that must not change here)
                    if (members.isEmpty() || path.getKey().equals("/session")) {
                        continue;
                    }
                    outcomes.add(send(method, target, "application/json", "{\"unknownMember\":1}"));
                    outcomes.add(send(method, target, "application/json", "not json"));
                    outcomes.add(send(method, target, "text/plain", "{}"));
                    for (Map.Entry<String, String> member : members.entrySet()) {
                        for (String wrong : WRONG_TYPES.getOrDefault(member.getValue(), List.of())) {
                            outcomes.add(send(method, target, "application/json",
                                    "{\"" + member.getKey() + "\":" + wrong + "}"));
                        }
                        if (member.getValue().equals("string")) {
                            for (String text : HOSTILE_TEXT) {
                                outcomes.add(send(method, target, "application/json",
                                        "{\"" + member.getKey() + "\":\"" + text + "\"}"));
                            }
                        }
                    }
                }
            }
            String accounts = base + "/accounts";
            for (String login : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "'%20OR%20'1'='1", "victim%00",
                    "a%0d%0aSet-Cookie:%20x=y")) {
                outcomes.add(send("GET", accounts + "/" + login + "?company=" + company, null, null));
                outcomes.add(send("PATCH", accounts + "/" + login + "?company=" + company, "application/json",
                        "{\"fullName\":\"x\"}"));
            }
            outcomes.add(send("GET", accounts + "?company=" + company + "&q=" + "a".repeat(10_000), null, null));
            outcomes.add(send("POST", accounts + "?company=" + company, "application/json",
                    "{\"login\":\"big\",\"fullName\":\"" + "x".repeat(2_000_000) + "\"}"));
            outcomes.add(send("PUT", accounts + "?company=" + company, "application/json", "{}"));
            outcomes.add(raw(node.httpPort, "GET /api/v1/accounts HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n"));
            outcomes.add(raw(node.httpPort, "POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
            outcomes.add(raw(node.httpPort, "GET /api/v1/accounts HTTP/1.1\r\nHost: x\r\n" + "X-Big: "
                    + "y".repeat(20_000) + "\r\n\r\n"));

            List<Outcome> unclean = outcomes.stream().filter(o -> o.status() < 400 || o.status() >= 500
                    || o.contentType() == null || !o.contentType().startsWith("application/problem+json")).toList();
            Map<String, Long> after = TableCounts.of(database);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.managementPort + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests", outcomes.size());
            figures.put("refusedCleanly", outcomes.size() - unclean.size());
            figures.put("unclean", unclean.size());
            figures.put("rowsChanged", !after.equals(before));
            figures.put("healthAfter", health.statusCode());
            DrillScenario.print("hostile-input", figures);

            assertThat(outcomes).hasSizeGreaterThanOrEqualTo(300);
            assertThat(unclean).as("answered otherwise than 4xx problem+json").isEmpty();
            assertThat(after).as("rows after the hostile requests").isEqualTo(before);
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    private Outcome send(String method, String url, String contentType, String body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + DrillProcesses.ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String shown = method + " " + (url.length() > 120 ? url.substring(0, 120) + "…" : url) + " "
                + (body == null ? "" : body.length() > 80 ? body.substring(0, 80) + "…" : body);
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(shown, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException refused) {
            return new Outcome(shown + " (" + refused + ")", 0, null);
        }
    }

    private static Outcome raw(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                answer.write(buffer, 0, read);
                if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break;
                }
            }
            String head = answer.toString(StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            int status = lines.length > 0 && lines[0].split(" ").length > 1 ? Integer.parseInt(lines[0].split(" ")[1])
                    : 0;
            String contentType = null;
            for (String line : lines) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                }
            }
            return new Outcome(request.lines().findFirst().orElse("") + " (raw)", status, contentType);
        }
    }

    private static Map<String, String> members(JsonNode document, JsonNode operation) {
        JsonNode schema = resolve(document, operation.path("requestBody").path("content").path("application/json")
                .path("schema"));
        Map<String, String> members = new LinkedHashMap<>();
        schema.path("properties").fields().forEachRemaining(property -> members.put(property.getKey(),
                resolve(document, property.getValue()).path("type").asText("object")));
        return members;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (!ref.startsWith("#/")) {
            return schema;
        }
        JsonNode target = document;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }
}
