package dev.ministramanager.simulator;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.threeten.extra.MutableClock;

/**
 * Every fault added with {@code lasting_ms} or {@code times} ends on its own, added through the control API as an
 * operator would (an outage added there once closed the port for good: its end timer belonged to the server
 * verticle the outage undeployed). The simulator's clock stands still until a test moves it past a fault's end, so
 * a fault lasts exactly as long as the test says, however slow the machine.
 */
@ExtendWith(SimulatorExtension.class)
@SimulatorExtension.Config(testClock = true)
class FaultsEndTest {

    private static final long LASTING_MS = 400;
    private static final Duration LASTING = Duration.ofMillis(LASTING_MS);

    /** Each kind with the test that tells a faulted answer (or a failed exchange) from a normal one. */
    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("{\"kind\":\"latency\",\"delay_ms\":1500}", slowerThan(1_200)),
                Arguments.of("{\"kind\":\"slow_response\",\"delay_ms\":1500}", slowerThan(1_200)),
                Arguments.of("{\"kind\":\"connection_reset\"}", failed()),
                Arguments.of("{\"kind\":\"http_error\",\"status\":503}", status(503)),
                Arguments.of("{\"kind\":\"unauthorized\"}", status(401)),
                Arguments.of("{\"kind\":\"empty_body\"}", body(String::isEmpty)),
                Arguments.of("{\"kind\":\"php_warning\"}", body(b -> b.startsWith("<br />"))),
                Arguments.of("{\"kind\":\"output_key\"}", body(b -> b.contains("\"output\""))),
                Arguments.of("{\"kind\":\"truncated_body\"}", failed()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aFaultWithLastingEndsByItself(String spec, Predicate<Call> faulted, MinistraSimulator simulator,
                                       MutableClock clock) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        add(http, spec, ",\"lasting_ms\":" + LASTING_MS);

        assertThat(faulted.test(Call.of(http))).as("faulted while it lasts").isTrue();
        clock.add(LASTING);
        assertThat(http.control("GET", "/_sim/faults", null).body()).as("ended once its time has passed")
                .isEqualTo("[]");
        assertThat(faulted.test(Call.of(http))).as("normal once it has ended").isFalse();
        assertThat(simulator.faults().list()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aFaultWithTimesEndsAfterThatManyRequests(String spec, Predicate<Call> faulted, MinistraSimulator simulator)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        add(http, spec, ",\"times\":2");

        assertThat(faulted.test(Call.of(http))).as("first").isTrue();
        assertThat(faulted.test(Call.of(http))).as("second").isTrue();
        assertThat(faulted.test(Call.of(http))).as("third: the rule is used up").isFalse();
        assertThat(http.control("GET", "/_sim/faults", null).body()).isEqualTo("[]");
    }

    @Test
    void capacityEndsByTimeAndByCount(MinistraSimulator simulator, MutableClock clock) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        add(http, "{\"kind\":\"capacity\",\"limit\":1}", ",\"times\":2");
        Call.of(http);
        Call.of(http);
        assertThat(http.control("GET", "/_sim/faults", null).body()).isEqualTo("[]");

        add(http, "{\"kind\":\"capacity\",\"limit\":1}", ",\"lasting_ms\":" + LASTING_MS);
        assertThat(http.control("GET", "/_sim/faults", null).body()).as("lasting").isNotEqualTo("[]");
        clock.add(LASTING);
        assertThat(http.control("GET", "/_sim/faults", null).body()).as("ended by time").isEqualTo("[]");
    }

    @Test
    void anOutageAddedThroughTheControlApiOpensThePortAgain(MinistraSimulator simulator, MutableClock clock)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        HttpResponse<String> added = http.control("POST", "/_sim/faults",
                "{\"kind\":\"outage\",\"lasting_ms\":" + LASTING_MS + "}");
        assertThat(added.statusCode()).isEqualTo(200);

        // the port closes right after the answer has gone out: the kept-alive connection goes away, a new one is
        // refused
        awaitClosed(http);
        assertThatThrownBy(() -> http.control("GET", "/_sim/faults", null)).isInstanceOf(ConnectException.class);

        // the port's timer runs on the wall clock and looks again until the simulator's clock is past the end
        clock.add(LASTING);
        eventually("the port opened again within 5 s of a " + LASTING_MS + " ms outage", Duration.ofSeconds(5),
                () -> http.statusUnlessRefused("tariffs").isPresent());
        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);
        assertThat(http.control("GET", "/_sim/faults", null).body()).isEqualTo("[]");

        // a second outage works the same: the reopened servers carry no stale state
        http.control("POST", "/_sim/faults", "{\"kind\":\"outage\",\"lasting_ms\":" + LASTING_MS + "}");
        awaitClosed(http);
        clock.add(LASTING);
        eventually("the second outage over", () -> http.statusUnlessRefused("tariffs").isPresent());
        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);
    }

    /** The port closes once the answer that added the outage has gone out: within a moment, not at once. */
    private static void awaitClosed(MinistraHttp http) {
        eventually("the port closed within 2 s of the outage's answer", Duration.ofSeconds(2),
                () -> http.statusUnlessRefused("tariffs").isEmpty());
    }

    @Test
    void anOutageCannotBeCountedInRequests(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        HttpResponse<String> refused = http.control("POST", "/_sim/faults",
                "{\"kind\":\"outage\",\"lasting_ms\":1000,\"times\":3}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("lasting_ms");
        assertThat(http.get("tariffs").statusCode()).isEqualTo(200);
        assertThat(simulator.faults().list()).isEmpty();
    }

    private static void add(MinistraHttp http, String spec, String ending) throws Exception {
        String json = spec.substring(0, spec.length() - 1) + ending + "}";
        HttpResponse<String> added = http.control("POST", "/_sim/faults", json);
        assertThat(added.statusCode()).as(json).isEqualTo(200);
    }

    private static Predicate<Call> slowerThan(long millis) {
        return call -> call.millis() > millis;
    }

    private static Predicate<Call> failed() {
        return call -> call.response() == null;
    }

    private static Predicate<Call> status(int status) {
        return call -> call.response() != null && call.response().statusCode() == status;
    }

    private static Predicate<Call> body(Predicate<String> test) {
        return call -> call.response() != null && test.test(call.response().body());
    }

    /** One {@code GET tariffs}: its answer (null when the exchange failed) and how long it took. */
    record Call(HttpResponse<String> response, long millis) {
        static Call of(MinistraHttp http) throws InterruptedException {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send("GET", "tariffs", null, Duration.ofSeconds(5));
            } catch (IOException failed) {
                response = null;
            }
            return new Call(response, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
