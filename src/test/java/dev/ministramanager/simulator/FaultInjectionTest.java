package dev.ministramanager.simulator;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every fault kind, observed from the outside with plain HTTP clients. */
@ExtendWith(SimulatorExtension.class)
class FaultInjectionTest {

    private static final String OK_TRUE = "{\"status\":\"OK\",\"results\":true}";

    @Test
    void latencyDelaysTheAnswer(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.latency(Duration.ofMillis(300), Duration.ofMillis(50)));

        long start = System.nanoTime();
        HttpResponse<String> response = http.get("tariffs/1");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"status\":\"OK\"");
        assertThat(millis).isBetween(300L, 2_000L);
    }

    @Test
    void capacityQueuesRequestsBeyondTheWorkers(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.capacity(1));
        simulator.faults().add(Fault.latency(Duration.ofMillis(200), Duration.ZERO));

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            long start = System.nanoTime();
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(pool.submit(() -> http.get("tariffs")));
            }
            for (Future<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            // one worker: 3 x 200 ms one after the other, not 200 ms side by side
            assertThat(millis).isGreaterThanOrEqualTo(580);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outageRefusesConnectionsForItsWindow(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        // long enough that a loaded CI machine still connects inside it (600 ms once ran out before the connect)
        simulator.faults().add(Fault.outage(Duration.ofSeconds(3)));

        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", simulator.port()), 1_000);
            }
        }).isInstanceOf(ConnectException.class);

        eventually("the 3 s outage over", () -> http.statusUnlessRefused("tariffs").isPresent());
        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);
    }

    @Test
    void clearingFaultsEndsAnOutageAtOnce(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.outage(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> http.get("tariffs")).isInstanceOf(ConnectException.class);

        simulator.faults().clear();

        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionResetAnswersNothingAndExecutesNothing(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.connectionReset().forMethod("POST").times(1));

        assertThatThrownBy(() -> RawHttp.exchange(simulator.port(), "POST /stalker_portal/api/accounts HTTP/1.1",
                List.of(Map.entry("Authorization", basic(simulator)),
                        Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                "login=reset_me".getBytes())).isInstanceOf(IOException.class);

        assertThat(http.get("users/reset_me").body()).contains("Account not found");
        assertThat(simulator.writeLog()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo("RESET");
            assertThat(entry.reachedApplication()).isFalse();
        });
    }

    @Test
    void httpErrorsAnswerAnHtmlPageAndExecuteNothing(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.httpError(503).forResource("accounts").times(1));
        simulator.faults().add(Fault.httpError(502).forResource("tariffs").times(1));
        simulator.faults().add(Fault.httpError(500).forResource("stb").times(1));

        HttpResponse<String> unavailable = http.post("accounts", "login=never");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/html"));
        assertThat(unavailable.body()).contains("<h1>Service Unavailable</h1>");
        assertThat(http.get("tariffs").statusCode()).isEqualTo(502);
        assertThat(http.get("stb").statusCode()).isEqualTo(500);

        assertThat(http.get("users/never").body()).contains("Account not found");
        assertThat(simulator.writeLog()).extracting(WriteLogEntry::result).containsExactly("HTTP 503");
    }

    @Test
    void emptyBodyForTheNextRequestsThenNormalAgain(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.emptyBody().forResource("tariffs").times(2));

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> empty = http.get("tariffs");
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(empty.headers().firstValue("Content-Length")).hasValue("0");
            assertThat(empty.body()).isEmpty();
        }
        assertThat(http.get("tariffs").body()).startsWith("{\"status\":\"OK\",\"results\":[{\"id\":\"1\"");
        assertThat(simulator.faults().list()).isEmpty();
    }

    @Test
    void spoiledAnswersStillExecuteTheWrite(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.emptyBody().forMethod("POST").times(1));

        assertThat(http.post("accounts", "login=written").body()).isEmpty();

        assertThat(http.get("users/written").body()).contains("\"login\":\"written\"");
        assertThat(simulator.writeLog()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo("OK");
            assertThat(entry.fault()).startsWith("empty-body");
        });
    }

    @Test
    void phpWarningTextBeforeTheJson(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.phpWarning().times(1));

        HttpResponse<String> response = http.post("accounts", "login=warned");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MinistraSimulator.PHP_WARNING + OK_TRUE);
    }

    @Test
    void outputKeyIsAppendedToTheEnvelope(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.outputKey().times(1));

        HttpResponse<String> response = http.get("accounts");

        assertThat(response.body()).startsWith("{\"status\":\"OK\",\"results\":[],\"output\":\"<br \\/>\\n<b>Warning");
        assertThat(response.body()).endsWith("\"}");
        assertThat(http.get("accounts").body()).isEqualTo("{\"status\":\"OK\",\"results\":[]}");
    }

    @Test
    void truncatedBodyAnnouncesMoreThanItSends(MinistraSimulator simulator) throws Exception {
        simulator.faults().add(Fault.truncatedBody().times(1));

        RawHttp.Response response = RawHttp.get(simulator.port(), "/stalker_portal/api/tariffs", basic(simulator));

        int announced = Integer.parseInt(response.header("Content-Length"));
        assertThat(announced).isEqualTo(1142);
        assertThat(response.body()).hasSize(announced / 2);
    }

    @Test
    void slowResponseOutlastsTheClientTimeoutButTheWriteHappens(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.slowResponse(Duration.ofMillis(800)).forResource("accounts").times(1));

        assertThatThrownBy(() -> http.send("POST", "accounts", "login=slow", Duration.ofMillis(200)))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(http.get("users/slow").body()).contains("\"login\":\"slow\"");
    }

    @Test
    void unauthorizedForAWhileAsIfCredentialsWereRotated(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.unauthorized().lasting(Duration.ofMillis(500)));

        HttpResponse<String> refused = http.post("accounts", "login=rotated");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Stalker API\"");
        assertThat(refused.body()).isEqualTo(RestApi.UNAUTHORIZED_BODY);

        eventually("the 500 ms of refused credentials over", () -> http.get("tariffs").statusCode() != 401);
        assertThat(http.post("accounts", "login=rotated").body()).isEqualTo(OK_TRUE);
        assertThat(simulator.writeLog()).extracting(WriteLogEntry::result).containsExactly("HTTP 401", "OK");
    }

    @Test
    void rulesTargetResourceMethodAndShare(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.httpError(500).forResource("accounts").forMethod("DELETE"));
        simulator.faults().add(Fault.httpError(502).forResource("stb").withProbability(0.0));

        assertThat(http.get("accounts").statusCode()).isEqualTo(200);
        assertThat(http.delete("accounts/1").statusCode()).isEqualTo(500);
        for (int i = 0; i < 20; i++) {
            assertThat(http.get("stb").statusCode()).isEqualTo(200);
        }

        simulator.faults().clear();
        simulator.faults().add(Fault.httpError(503).withProbability(0.5));
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            failed += http.get("tariffs/1").statusCode() == 503 ? 1 : 0;
        }
        assertThat(failed).isBetween(50, 150);
    }

    @Test
    void faultsThroughTheControlApi(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);

        HttpResponse<String> added = http.control("POST", "/_sim/faults",
                "{\"kind\":\"http_error\",\"status\":503,\"resource\":\"tariffs\",\"times\":1}");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).matches("\\{\"id\":\\d+}");
        assertThat(http.control("GET", "/_sim/faults", null).body()).contains("http-error 503 resource=tariffs times=1");

        assertThat(http.get("tariffs").statusCode()).isEqualTo(503);
        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);

        http.control("POST", "/_sim/faults", "{\"kind\":\"empty_body\"}");
        assertThat(http.get("tariffs").body()).isEmpty();
        assertThat(http.control("DELETE", "/_sim/faults", null).statusCode()).isEqualTo(200);
        assertThat(http.get("tariffs").body()).isNotEmpty();

        assertThat(http.control("POST", "/_sim/faults", "{\"kind\":\"outage\"}").statusCode()).isEqualTo(400);
        assertThat(http.control("POST", "/_sim/faults", "{\"kind\":\"meteor\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void controlApiIsNeverFaulted(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.faults().add(Fault.httpError(500));

        assertThat(http.control("GET", "/_sim/accounts", null).statusCode()).isEqualTo(200);
        CompletableFuture<Integer> api = CompletableFuture.supplyAsync(() -> {
            try {
                return http.get("accounts").statusCode();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(api.get()).isEqualTo(500);
    }

    static String basic(MinistraSimulator simulator) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((simulator.settings().apiUser() + ":"
                + simulator.settings().apiPassword()).getBytes());
    }
}
