package dev.ministramanager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TableCounts;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the HTTP server answers before any route runs, for requests its codec cannot read (a URL too long, headers
 * too large, a malformed Content-Length or request line), is problem+json too, on the API and the management port;
 * sent over a raw socket, since a well-behaved client would not send them.
 */
class HttpServerErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onH2(Map.of());

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @ParameterizedTest(name = "on the {0} port")
    @ValueSource(strings = {"api", "management"})
    void unreadableRequestsAreAnsweredWithProblemJson(String which) throws IOException {
        URI base = which.equals("api") ? service.api("/companies") : service.management("/observe/health");
        Map<String, Long> before = TableCounts.of(database);
        String auth = "Authorization: Bearer " + ServiceUnderTest.ADMIN_TOKEN + "\r\n";

        assertProblem(raw(base, "GET " + base.getPath() + "?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n" + auth
                + "\r\n"), 414);
        assertProblem(raw(base, "GET " + base.getPath() + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: "
                + "b".repeat(10_000) + "\r\n\r\n"), 431);
        assertProblem(raw(base, "POST " + base.getPath() + " HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}"), 400);
        assertProblem(raw(base, "POST " + base.getPath() + " HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}"), 400);
        assertProblem(raw(base, "GET " + base.getPath() + " HTTP/1.1 extra\r\nHost: x\r\n\r\n"), 400);

        assertThat(TableCounts.of(database)).as("nothing stored").isEqualTo(before);
        assertThat(service.get("/companies", ServiceUnderTest.ADMIN_TOKEN).status())
                .as("the server still serves").isEqualTo(200);
    }

    private static void assertProblem(String response, int status) throws IOException {
        int headerEnd = response.indexOf("\r\n\r\n");
        assertThat(headerEnd).as(response).isPositive();
        String head = response.substring(0, headerEnd);
        // HTTP/1.0 where the request line could not be read, so its version is unknown
        assertThat(head).as(response).matches("(?s)HTTP/1\\.[01] " + status + " .*");
        assertThat(head.toLowerCase()).as(response).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(response.substring(headerEnd + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
    }

    private static String raw(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the server closes the connection after answering an unreadable request
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
