package dev.ministramanager.companies;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /companies/{id}/test-connection} against the simulator over HTTP, one outcome per Ministra answer. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class ConnectionTestTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of());

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    @Test
    void okWithTheSimulatorsCredentials(MinistraSimulator ministra) {
        JsonNode answer = testConnection(company("Right credentials", ministra.apiBaseUrl(), "ministra-secret"));
        assertThat(answer.get("outcome").asText()).isEqualTo("ok");
        assertThat(answer.get("detail").asText()).contains("2 tariff plan(s)");
        assertThat(answer.get("latencyMs").asLong()).isBetween(0L, 5_000L);
    }

    /** The dashboard's latency: GET /companies names the last one measured, by a connection test or a push. */
    @Test
    void theCompanyNamesHowFastItsMinistraLastAnswered(MinistraSimulator ministra) {
        long id = company("Measured", ministra.apiBaseUrl(), "ministra-secret");
        JsonNode unmeasured = service.get("/companies/" + id, ADMIN).json().get("ministra");
        assertThat(unmeasured.get("latencyMs").isNull()).as(unmeasured.toString()).isTrue();
        assertThat(unmeasured.get("latencyMeasuredAt").isNull()).isTrue();

        ministra.faults().add(Fault.latency(Duration.ofMillis(1000), Duration.ZERO).forResource("tariffs").times(1));
        long tested = testConnection(id).get("latencyMs").asLong();
        JsonNode measured = service.get("/companies/" + id, ADMIN).json().get("ministra");
        assertThat(measured.get("latencyMs").asLong()).as(measured.toString()).isBetween(1000L, tested);
        assertThat(measured.get("latencyMeasuredAt").isNull()).isFalse();

        // a push's answer is measured too (here the simulator answers accounts calls at once)
        assertThat(service.post("/companies/" + id + "/tariffs/sync", ADMIN, null).status()).isEqualTo(200);
        ApiAnswer pushed = service.post("/provision?wait=10&company=" + id, ADMIN,
                "{\"login\":\"latency.measured\",\"tariff\":\"basic\"}");
        assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
        JsonNode afterPush = eventually("the push's latency measured",
                () -> service.get("/companies/" + id, ADMIN).json().get("ministra"),
                latency -> latency.get("latencyMs").asLong() < 1000);
        assertThat(afterPush.get("latencyMs").asLong()).as(afterPush.toString()).isLessThan(1000L);
    }

    @Test
    void authenticationFailedWithAWrongPassword(MinistraSimulator ministra) {
        JsonNode answer = testConnection(company("Wrong password", ministra.apiBaseUrl(), "not-the-password"));
        assertThat(answer.get("outcome").asText()).isEqualTo("authentication_failed");
    }

    @Test
    void unreachableWhenNothingListensOrTheAnswerIsTooSlow(MinistraSimulator ministra) {
        int closedPort = ServiceUnderTest.freePort();
        JsonNode refused = testConnection(company("Nobody home", "http://127.0.0.1:" + closedPort, "x"));
        assertThat(refused.get("outcome").asText()).isEqualTo("unreachable");

        long slow = company("Slow Ministra", ministra.apiBaseUrl(), "ministra-secret");
        assertThat(service.patch("/companies/" + slow, ADMIN, "{\"readTimeoutMs\":300}").status()).isEqualTo(200);
        ministra.faults().add(Fault.slowResponse(Duration.ofSeconds(2)).forResource("tariffs").times(1));
        JsonNode timedOut = testConnection(slow);
        assertThat(timedOut.get("outcome").asText()).isEqualTo("unreachable");
        assertThat(timedOut.get("detail").asText()).contains("in time");
    }

    @Test
    void notMinistraForGarbageAndServerErrorForA503(MinistraSimulator ministra) {
        long id = company("Garbage answers", ministra.apiBaseUrl(), "ministra-secret");
        ministra.faults().add(Fault.phpWarning().forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("not_ministra");
        ministra.faults().add(Fault.emptyBody().forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("not_ministra");
        ministra.faults().add(Fault.httpError(503).forResource("tariffs").times(1));
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("server_error");
        assertThat(testConnection(id).get("outcome").asText()).isEqualTo("ok");

        long notAnApi = company("Not an API", ministra.baseUrl() + "/_sim/accounts", "ministra-secret");
        assertThat(testConnection(notAnApi).get("outcome").asText()).isEqualTo("not_ministra");
    }

    /** A JSON service that is not Ministra (any URL may be entered): the answer says what is wrong, not what it read. */
    @Test
    void notMinistraNeverEchoesTheRemoteDocument() throws Exception {
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] body = "{\"status\":\"up\",\"internalSecret\":\"sentinel-remote-content-31\"}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try {
            long id = company("Other JSON", "http://127.0.0.1:" + other.getAddress().getPort() + "/", "x");
            JsonNode answer = testConnection(id);
            assertThat(answer.get("outcome").asText()).isEqualTo("not_ministra");
            assertThat(answer.get("detail").asText()).contains("not a Ministra envelope")
                    .doesNotContain("sentinel").doesNotContain("internalSecret");
            try (java.sql.Connection connection = database.connect(); java.sql.ResultSet rs = connection
                    .createStatement().executeQuery("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%sentinel%'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the audit trail quotes no remote content").isZero();
            }
        } finally {
            other.stop(0);
        }
    }

    /**
     * A server at the Ministra URL answering without end: the answer is read up to mm.ministra.max-answer-bytes (16 MiB
     * by default) and classified as garbled, its connection dropped; the service's heap is not filled, and it goes on
     * answering.
     */
    @Test
    void anAnswerWithoutEndIsReadUpToItsBoundThenDropped() throws Exception {
        AtomicLong sent = new AtomicLong();
        byte[] spaces = " ".repeat(65_536).getBytes(StandardCharsets.US_ASCII);
        HttpServer endless = tariffListWithoutEnd(out -> {
            while (sent.get() < 1L << 33) {
                out.write(spaces);
                sent.addAndGet(spaces.length);
            }
        });
        try {
            long id = company("Endless answer", "http://127.0.0.1:" + endless.getAddress().getPort() + "/", "x");
            JsonNode answer = testConnection(id);
            assertThat(answer.get("outcome").asText()).isEqualTo("not_ministra");
            assertThat(answer.get("detail").asText()).contains("longer than 16777216 bytes");
            assertThat(sent.get()).as("bytes sent before the connection was dropped")
                    .isGreaterThanOrEqualTo(16L << 20).isLessThan(1L << 30);
            assertThat(service.get("/companies/" + id, ADMIN).status()).isEqualTo(200);
        } finally {
            endless.stop(0);
        }
    }

    /**
     * A server at the Ministra URL trickling its answer, a byte every 500 ms: each socket read (3 s) is answered in
     * time, the answer never ends. It is a timeout once the read timeout has passed for the answer as a whole.
     */
    @Test
    void anAnswerTricklingInIsATimeoutOnceTheReadTimeoutHasPassed() throws Exception {
        AtomicLong sent = new AtomicLong();
        HttpServer trickling = tariffListWithoutEnd(out -> {
            while (sent.get() < 600) {
                Thread.sleep(500);
                out.write(' ');
                out.flush();
                sent.incrementAndGet();
            }
        });
        try {
            long id = company("Trickling answer", "http://127.0.0.1:" + trickling.getAddress().getPort() + "/", "x");
            long started = System.nanoTime();
            JsonNode answer = testConnection(id);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(answer.get("outcome").asText()).isEqualTo("unreachable");
            assertThat(answer.get("detail").asText()).contains("did not arrive whole within the read timeout (3000 ms");
            // the read timeout as a whole, and at most one more socket read: not the 300 s the answer would take
            assertThat(tookMillis).isGreaterThanOrEqualTo(3_000).isLessThan(10_000);
            assertThat(sent.get()).isLessThan(30);
        } finally {
            trickling.stop(0);
        }
    }

    /**
     * A Ministra refusing with a NUL in its error text (JSON's \\u0000): the connection test answers, and its audit
     * entry is written, with the NUL shown as U+FFFD (PostgreSQL refuses a NUL; the test was a 500).
     */
    @Test
    void aRefusalWithANulInItsTextIsKeptWithoutIt() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", exchange -> {
            byte[] answer = "{\"status\":\"ERROR\",\"error\":\"Access\\u0000denied\",\"results\":null}"
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        refusing.start();
        try {
            long id = company("Refusing with a NUL", "http://127.0.0.1:" + refusing.getAddress().getPort() + "/",
                    "x");
            JsonNode answer = testConnection(id);
            assertThat(answer.get("detail").asText()).contains("Access\ufffddenied").doesNotContain("\u0000");
            assertThat(database.number("SELECT COUNT(*) FROM audit_event WHERE subject_id = ? AND details LIKE ?",
                    String.valueOf(id), "%Access\ufffddenied%")).isEqualTo(1);
        } finally {
            refusing.stop(0);
        }
    }

    /** What follows the start of a tariff list in {@link #tariffListWithoutEnd}'s answer. */
    private interface AnswerRest {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * A server answering 200 with the start of a tariff list, then what {@code rest} writes, until the reader goes
     * away.
     */
    private static HttpServer tariffListWithoutEnd(AnswerRest rest) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"status\":\"OK\",\"results\":[".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                rest.write(out);
            } catch (IOException | InterruptedException dropped) {
                // the reader went away: what the test expects
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return server;
    }

    private static long company(String name, String baseUrl, String password) {
        return ServiceFixture.company(service, name, baseUrl, password,
                "\"connectTimeoutMs\":1000,\"readTimeoutMs\":3000");
    }

    private static JsonNode testConnection(long companyId) {
        ApiAnswer answer = service.post("/companies/" + companyId + "/test-connection", ADMIN, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }
}
