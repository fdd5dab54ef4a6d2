package dev.ministramanager.ministra;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.ministra.MinistraFailure.Kind;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Classifies what came back from Ministra. Ministra reports application errors with HTTP 200 and
 * {@code "status":"ERROR"}, PHP failures as text or empty bodies, and only authentication with a real HTTP status;
 * every one of those becomes a {@link MinistraFailure} of the right kind, and only a well-formed
 * {@code "status":"OK"} envelope becomes a {@link MinistraResult}.
 */
public class MinistraResponses {

    private final ObjectMapper json;

    public MinistraResponses(ObjectMapper json) {
        this.json = json;
    }

    public void classify(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        long latency = elapsedMillis(exchange);
        message.removeHeaders("*");
        message.setBody(read(status, body, latency));
    }

    /** An exception from the HTTP call itself: the connection failed or timed out. */
    public void callFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().removeHeaders("*");
        throw transportFailure(cause);
    }

    MinistraResult read(int status, byte[] body, long latency) {
        if (status == 401) {
            throw new MinistraFailure(Kind.AUTHENTICATION_FAILED, "Ministra refused the API credentials (HTTP 401)",
                    null, null);
        }
        if (status >= 500 || status == 429) {
            throw new MinistraFailure(Kind.SERVER_ERROR, "Ministra answered HTTP " + status, null, null);
        }
        if (status != 200) {
            // a 404 is what a URL without Ministra's API (or one with enable_api off) answers
            throw new MinistraFailure(Kind.NOT_MINISTRA, "HTTP " + status + " at the Ministra API URL: no Ministra"
                    + " REST API there, or the API is not enabled", null, null);
        }
        if (body == null || body.length == 0) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra answered HTTP 200 with an empty body", null, null);
        }
        JsonNode envelope;
        try {
            envelope = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer is not JSON (PHP output, a truncated"
                    + " body or an HTML page): " + preview(body), null, null);
        } catch (IOException e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer could not be read", null, e);
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("status").isTextual()
                || !envelope.has("results")) {
            throw new MinistraFailure(Kind.NOT_MINISTRA, "The answer is JSON but not a Ministra envelope: "
                    + preview(body), null, null);
        }
        String outcome = envelope.get("status").asText();
        if (outcome.equals("ERROR")) {
            String error = envelope.path("error").asText("");
            throw new MinistraFailure(Kind.REJECTED, "Ministra refused: " + error, error, null);
        }
        if (!outcome.equals("OK")) {
            throw new MinistraFailure(Kind.NOT_MINISTRA, "Unknown Ministra status '" + outcome + "'", null, null);
        }
        JsonNode output = envelope.get("output");
        return new MinistraResult(envelope.get("results"), output == null ? null : output.asText(), latency);
    }

    static MinistraFailure transportFailure(Throwable cause) {
        if (cause instanceof MinistraFailure known) {
            return known;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return new MinistraFailure(Kind.TIMEOUT, "Ministra did not answer in time", null, cause);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketException
                    || t.getClass().getSimpleName().equals("NoHttpResponseException")
                    || t.getClass().getSimpleName().equals("ConnectionClosedException")) {
                return new MinistraFailure(Kind.UNREACHABLE, "Ministra is unreachable: " + t.getMessage(), null,
                        cause);
            }
        }
        return new MinistraFailure(Kind.UNREACHABLE, "The call to Ministra failed: " + cause, null, cause);
    }

    private static long elapsedMillis(Exchange exchange) {
        Long started = exchange.getVariable(MinistraRequests.STARTED_NANOS, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 120), java.nio.charset.StandardCharsets.UTF_8);
        return "'" + text.replaceAll("\\s+", " ") + (body.length > 120 ? "…'" : "'");
    }
}
