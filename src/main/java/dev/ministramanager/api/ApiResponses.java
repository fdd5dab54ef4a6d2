package dev.ministramanager.api;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.ministra.MinistraFailure;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every answer of the REST API: results as JSON, errors as problem+json. Used once, by the {@code rest-api}
 * route configuration, so no route renders its own answer.
 */
public class ApiResponses {

    public static final String PROBLEM_JSON = "application/problem+json";
    /**
     * The only headers an answer carries; request headers and internal ones never travel back to the client. Looked
     * up by name, ignoring case: Camel's {@code removeHeaders(pattern, excludes)} compiled every name as a regular
     * expression for every header of every request.
     */
    private static final Set<String> RESPONSE_HEADERS = caseInsensitive(
        Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE, "ETag", "Location", "Retry-After", "Idempotent-Replayed",
        "WWW-Authenticate", "Set-Cookie", "Deprecation", "Link");
    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

    private final ObjectMapper json;

    public ApiResponses(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Renders a route's result (a Map, List or record) as JSON, unless the route already wrote a body. Bytes go out
     * as a Vert.x Buffer, which platform-http writes at once (a byte[] it would stream through an InputStream); only
     * this last step makes one, as Camel's stream caching would turn a Buffer met on the way into a stream.
     */
    public void renderResult(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body == null && message.getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            return;
        }
        keepOnlyResponseHeaders(message);
        if (body == null || body instanceof String || body instanceof Buffer) {
            return;
        }
        if (body instanceof byte[] raw) {
            message.setBody(Buffer.buffer(raw));
            return;
        }
        message.setBody(Buffer.buffer(json.writeValueAsBytes(body)));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static void keepOnlyResponseHeaders(Message message) {
        List<String> others = new ArrayList<>();
        for (String name : message.getHeaders().keySet()) {
            if (!RESPONSE_HEADERS.contains(name)) {
                others.add(name);
            }
        }
        others.forEach(message::removeHeader);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }

    /** Renders the exception that ended the exchange as problem+json; an unexpected one becomes a 500. */
    public void renderProblem(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = problemOf(cause);
        Message message = exchange.getMessage();
        writeProblem(message, problem != null ? problem : internalError(exchange, cause));
        message.setBody(Buffer.buffer(message.getBody(byte[].class)));
    }

    /** The problem the API answers for a failure, or null when it is unexpected (a bug: answered 500, logged). */
    public static ProblemException problemOf(Throwable cause) {
        if (cause instanceof ProblemException known) {
            return known;
        }
        if (cause instanceof MinistraFailure failure) {
            return MinistraProblems.of(failure);
        }
        return databaseRefusal(cause);
    }

    /**
     * The one place where the database refusing a request's data becomes a 4xx rather than a 500, by SQLSTATE, the
     * same on PostgreSQL and H2: class 22 (a value the database cannot hold: NUL, an out-of-range number or date) is
     * the client's 400; 23505 (a unique value taken, e.g. by a concurrent request) is 409; another integrity
     * violation (a referenced record deleted meanwhile) is 409 too. Validation refuses such input first; this is
     * the net under it, so that a case it misses is still no 500.
     */
    private static ProblemException databaseRefusal(Throwable cause) {
        for (Throwable at = cause; at != null; at = at.getCause()) {
            if (at instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22")) {
                    return new ProblemException(400, "Invalid request", "A value in the request cannot be stored"
                            + " (out of range, or a character the database refuses).", Map.of());
                }
                if (state.equals("23505")) {
                    return new ProblemException(409, "Conflict", "The request conflicts with a record stored"
                            + " meanwhile (a unique value is taken).", Map.of());
                }
                if (state.startsWith("23")) {
                    return new ProblemException(409, "Conflict", "The request refers to a record that does not"
                            + " exist (any more), or conflicts with stored data.", Map.of());
                }
                return null;
            }
        }
        return null;
    }

    public void writeProblem(Message message, ProblemException problem) throws JsonProcessingException {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, PROBLEM_JSON);
        if (problem instanceof ChallengingProblem challenge) {
            message.setHeader("WWW-Authenticate", challenge.challenge());
        }
        if (problem instanceof RetryLaterProblem retry) {
            message.setHeader("Retry-After", retry.retryAfterSeconds());
        }
        message.setBody(json.writeValueAsBytes(problem.toDocument()));
    }

    public byte[] problemBytes(ProblemException problem) throws JsonProcessingException {
        return json.writeValueAsBytes(problem.toDocument());
    }

    private static ProblemException internalError(Exchange exchange, Throwable cause) {
        LOG.error("Unexpected failure in route {}", exchange.getFromRouteId(), cause);
        return new ProblemException(500, "Internal error", "The request failed on our side; it has been logged.",
                Map.of());
    }

    /** A 401 carries the authentication schemes the client may use. */
    public interface ChallengingProblem {
        String challenge();
    }

    /** A 429 or 503 says when to try again. */
    public interface RetryLaterProblem {
        long retryAfterSeconds();
    }
}
