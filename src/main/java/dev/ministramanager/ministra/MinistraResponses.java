package dev.ministramanager.ministra;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.http.AnswerStreams;
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
    /** The most of one answer (not a row read) that is read: a longer one is a failure, not a heap filled. */
    private final int maxAnswerBytes;

    public MinistraResponses(ObjectMapper json, int maxAnswerBytes) {
        this.json = json;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Classifies one answer. It arrives as the connection's stream (the call's stream cache is off), read here up to
     * {@code mm.ministra.max-answer-bytes}: a Ministra (or whatever answers at its URL) sending more, or without end,
     * is a garbled answer and its connection is dropped.
     */
    public void classify(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Object answer = message.getBody();
        // read here once: a failure thrown below must not leave the spent stream for a later step to read again
        message.setBody(null);
        byte[] body = answer instanceof InputStream stream
                ? readBounded(stream, exchange.getVariable(MinistraRequests.READ_TIMEOUT_MS, Integer.class))
                : exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, answer);
        long latency = elapsedMillis(exchange);
        message.removeHeaders("*");
        message.setBody(read(status, body, latency));
    }

    /**
     * The answer's body, read as it arrives up to the bound, and within the call's read timeout as a whole: a server
     * trickling its answer, a byte just inside each socket timeout, is a timeout, not a worker held for hours.
     */
    private byte[] readBounded(InputStream stream, Integer readTimeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readTimeoutMs);
        AnswerStreams.BoundedRead read = AnswerStreams.read(stream, maxAnswerBytes, deadline);
        if (read.failure() != null) {
            MinistraFailure transport = transportFailure(read.failure());
            if (transport.kind() == Kind.TIMEOUT) {
                throw transport;
            }
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer was cut off: "
                    + read.failure().getMessage(), null, read.failure());
        }
        if (read.longer()) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer is longer than " + maxAnswerBytes
                    + " bytes (mm.ministra.max-answer-bytes): not read further", null, null);
        }
        if (read.overdue()) {
            throw new MinistraFailure(Kind.TIMEOUT, "Ministra's answer did not arrive whole within the read timeout"
                    + " (" + readTimeoutMs + " ms; " + read.bytes().length + " bytes had come)", null, null);
        }
        return read.bytes();
    }

    /** An exception from the HTTP call itself: the connection failed or timed out. */
    public void callFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().removeHeaders("*");
        throw transportFailure(cause);
    }

    /**
     * The answer of a {@link MinistraRowRead}, parsed from the open response stream: each element of {@code results}
     * goes to the read's sink as soon as it is parsed. Classified like {@link #classify}: the answer must arrive whole
     * within the call's read timeout (a listing's is its own), and no row may be longer than
     * {@code mm.ministra.max-answer-bytes}, so that rows without end are a failure, not a worker held while they flow.
     * An answer read to its end gives its connection back; one read in part has it dropped, never drained.
     */
    public void streamRows(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        MinistraRowRead read = exchange.getVariable(MinistraRequests.ROW_READ, MinistraRowRead.class);
        int readTimeoutMs = exchange.getVariable(MinistraRequests.READ_TIMEOUT_MS, Integer.class);
        InputStream body = message.getBody(InputStream.class);
        message.removeHeaders("*");
        message.setBody(null);
        boolean readToEnd = false;
        try {
            checkHttpStatus(status);
            if (body == null) {
                throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra answered HTTP 200 with an empty body", null,
                        null);
            }
            AnswerStreams.TimedAnswer answer = new AnswerStreams.TimedAnswer(body,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readTimeoutMs), maxAnswerBytes);
            message.setBody(readRows(answer, read.sink(), readTimeoutMs, exchange));
            readToEnd = true;
        } finally {
            if (body != null) {
                AnswerStreams.release(body, readToEnd);
            }
        }
    }

    private MinistraRowRead.Outcome readRows(AnswerStreams.TimedAnswer in, MinistraRowRead.RowSink sink,
                                             int readTimeoutMs, Exchange exchange) {
        String outcome = null;
        String error = null;
        String output = null;
        boolean results = false;
        long rows = 0;
        try (JsonParser parser = json.getFactory().createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra answered HTTP 200 with an empty body", null,
                        null);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MinistraFailure(Kind.NOT_MINISTRA, "The answer is JSON but not a Ministra envelope", null,
                        null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "status" -> outcome = value == JsonToken.VALUE_STRING ? parser.getText() : "";
                    case "results" -> {
                        results = true;
                        if ("OK".equals(outcome) && value == JsonToken.START_ARRAY) {
                            while (parser.nextToken() != JsonToken.END_ARRAY) {
                                in.partStarted();
                                JsonNode row = json.readTree(parser);
                                rows++;
                                sink.accept(row);
                            }
                        } else if ("OK".equals(outcome)) {
                            throw new MinistraFailure(Kind.NOT_MINISTRA, "Ministra's results are not a list", null,
                                    null);
                        } else if (outcome == null) {
                            // Ministra always writes status first; without it rows could not be trusted as they come
                            throw new MinistraFailure(Kind.NOT_MINISTRA, "The envelope has results before status",
                                    null, null);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "error" -> error = parser.getValueAsString("");
                    case "output" -> output = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer has text after the JSON", null,
                        null);
            }
        } catch (JsonProcessingException e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer is not JSON, or was cut off after "
                    + rows + " row(s) (PHP output, a truncated body or an HTML page)", null, null);
        } catch (AnswerStreams.TimedAnswer.Overdue e) {
            throw new MinistraFailure(Kind.TIMEOUT, "Ministra's answer did not arrive whole within the read timeout ("
                    + readTimeoutMs + " ms; " + rows + " row(s) had come)", null, e);
        } catch (AnswerStreams.TimedAnswer.PartTooLong e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "A row of Ministra's answer is longer than "
                    + maxAnswerBytes + " bytes (mm.ministra.max-answer-bytes), after " + rows + " row(s)", null, e);
        } catch (IOException e) {
            MinistraFailure transport = transportFailure(e);
            if (transport.kind() == Kind.TIMEOUT) {
                throw transport;
            }
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer was cut off after " + rows
                    + " row(s): " + e.getMessage(), null, e);
        }
        if (outcome == null || !results) {
            throw new MinistraFailure(Kind.NOT_MINISTRA, "The answer is JSON but not a Ministra envelope", null, null);
        }
        if (outcome.equals("ERROR")) {
            throw new MinistraFailure(Kind.REJECTED, "Ministra refused: " + error, error, null);
        }
        if (!outcome.equals("OK")) {
            throw new MinistraFailure(Kind.NOT_MINISTRA, "Unknown Ministra status '" + outcome + "'", null, null);
        }
        return new MinistraRowRead.Outcome(rows, output, elapsedMillis(exchange));
    }

    private static void checkHttpStatus(int status) {
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
    }

    MinistraResult read(int status, byte[] body, long latency) {
        checkHttpStatus(status);
        if (body == null || body.length == 0) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra answered HTTP 200 with an empty body", null, null);
        }
        JsonNode envelope;
        try {
            envelope = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer is not JSON (PHP output, a truncated"
                    + " body or an HTML page; " + body.length + " bytes)", null, null);
        } catch (IOException e) {
            throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer could not be read", null, e);
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("status").isTextual()
                || !envelope.has("results")) {
            // what was wrong, never what the remote document says: the URL may point at any service
            throw new MinistraFailure(Kind.NOT_MINISTRA, "The answer is JSON but not a Ministra envelope (an object"
                    + " with a text 'status' and 'results'); it is " + shape(envelope) + ".", null, null);
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
            if (isCutOffAnswer(t)) {
                // the answer had begun, so Ministra received and ran the request: not "unreachable"
                return new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra's answer was cut off: " + t.getMessage(),
                        null, cause);
            }
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

    /** A body shorter than its Content-Length, or a chunked body that ends early. */
    private static boolean isCutOffAnswer(Throwable t) {
        String type = t.getClass().getSimpleName();
        return type.equals("TruncatedChunkException") || type.equals("MalformedChunkCodingException")
                || type.equals("ConnectionClosedException") && String.valueOf(t.getMessage()).startsWith("Premature end");
    }

    private static long elapsedMillis(Exchange exchange) {
        Long started = exchange.getVariable(MinistraRequests.STARTED_NANOS, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String shape(JsonNode document) {
        if (document == null || !document.isObject()) {
            return "a JSON " + (document == null ? "null" : document.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return "an object " + (document.path("status").isTextual() ? "without 'results'"
                : document.has("status") ? "whose 'status' is not text" : "without 'status'");
    }
}
