package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays every exchange of the wire transcript, in order, against a freshly reset simulator over a real socket, and
 * compares status, the headers that come from PHP and the body byte for byte. Date, Server and framing headers are
 * not compared; the PHP session id of Set-Cookie is random on both sides, so only its shape is.
 */
@ExtendWith(SimulatorExtension.class)
@SimulatorExtension.Config(apiUser = "peeradmin", apiPassword = "peer-secret-4935")
class TranscriptConformanceTest {

    /** Exchanges where the simulator deliberately answers differently, with the reason. Keep it empty. */
    private static final Map<Integer, String> DELIBERATE_DIFFERENCES = Map.of();

    /** Section K of the transcript was recorded with enable_internal_billing switched on before this exchange. */
    private static final int FIRST_WITH_INTERNAL_BILLING = 105;

    private static final List<String> COMPARED_HEADERS = List.of("WWW-Authenticate", "Content-Type", "Expires",
            "Cache-Control", "Pragma");

    @Test
    void everyExchangeOfTheTranscriptMatches(MinistraSimulator simulator) throws Exception {
        List<WireTranscript.Exchange> exchanges = WireTranscript.load("ministra/WIRE-TRANSCRIPT.md");
        assertThat(exchanges).hasSize(110);
        assertThat(exchanges).extracting(WireTranscript.Exchange::number)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 110).boxed().toList());

        List<String> differences = new ArrayList<>();
        for (WireTranscript.Exchange exchange : exchanges) {
            if (exchange.number() == FIRST_WITH_INTERNAL_BILLING) {
                simulator.internalBilling(true);
            }
            byte[] body = exchange.request().body().getBytes(StandardCharsets.UTF_8);
            String announced = exchange.request().header("Content-Length");
            assertThat(announced == null ? 0 : Integer.parseInt(announced))
                    .as("request body of exchange %d as transcribed", exchange.number()).isEqualTo(body.length);
            RawHttp.Response actual = RawHttp.exchange(simulator.port(), exchange.request().startLine(),
                    exchange.request().headers(), body);
            String difference = compare(exchange, actual);
            if (difference != null && !DELIBERATE_DIFFERENCES.containsKey(exchange.number())) {
                differences.add("#" + exchange.number() + " " + exchange.title() + "\n    "
                        + exchange.request().startLine() + "\n    " + difference);
            }
        }
        assertThat(differences).as("exchanges where the simulator differs from the real server").isEmpty();
    }

    private static String compare(WireTranscript.Exchange exchange, RawHttp.Response actual) {
        WireTranscript.Message expected = exchange.response();
        if (actual.status() != exchange.status()) {
            return "status " + actual.status() + ", expected " + exchange.status() + " (body " + actual.bodyText()
                    + ")";
        }
        for (String name : COMPARED_HEADERS) {
            if (!Objects.equals(expected.header(name), actual.header(name))) {
                return "header " + name + ": " + actual.header(name) + ", expected " + expected.header(name);
            }
        }
        String cookie = actual.header("Set-Cookie");
        if ((expected.header("Set-Cookie") == null) != (cookie == null)
                || cookie != null && !cookie.matches("PHPSESSID=[0-9a-v]{26}; path=/")) {
            return "Set-Cookie: " + cookie + ", expected one like " + expected.header("Set-Cookie");
        }
        if (!Objects.equals(expected.header("Content-Length"), actual.header("Content-Length"))) {
            return "Content-Length " + actual.header("Content-Length") + ", expected "
                    + expected.header("Content-Length");
        }
        if (!expected.body().equals(actual.bodyText())) {
            return "body\n      actual:   " + actual.bodyText() + "\n      expected: " + expected.body();
        }
        return null;
    }
}
