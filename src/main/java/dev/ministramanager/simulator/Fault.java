package dev.ministramanager.simulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One fault-injection rule: what goes wrong, and for which requests. Immutable; the {@code for*}, {@code times},
 * {@code withProbability} and {@code lasting} methods return narrowed copies, e.g.
 * {@code Fault.emptyBody().forResource("tariffs").times(2)}.
 *
 * <p>Faults that replace the answer before the request reaches "PHP" (connection reset, HTTP 5xx, 401) leave the
 * state untouched; faults that spoil the answer (empty, truncated, warning text, {@code output} key, slow response)
 * happen after the request was executed, as when a real server fails while answering.
 */
public final class Fault {

    /** What goes wrong. */
    public enum Kind {
        /** Delay before the request is served: {@code delay} plus a uniform random part up to {@code jitter}. */
        LATENCY,
        /** At most {@code limit} matching requests in service; the rest wait in arrival order (PHP workers). */
        CAPACITY,
        /** The listening socket is closed: connections are refused until the rule ends (use {@link #lasting}). */
        OUTAGE,
        /** The connection is reset (TCP RST) after the request was read; nothing is executed. */
        CONNECTION_RESET,
        /** An HTML error page with status {@code httpStatus} (500, 502, 503...); nothing is executed. */
        HTTP_ERROR,
        /** HTTP 200, {@code Content-Type: application/json}, zero bytes. */
        EMPTY_BODY,
        /** PHP warning text printed before the JSON. */
        PHP_WARNING,
        /** The extra {@code "output"} key of the envelope, holding PHP warning text. */
        OUTPUT_KEY,
        /** Full Content-Length announced, half the body sent, connection closed. */
        TRUNCATED_BODY,
        /** The answer is held back for {@code delay} after the request was executed (client timeouts). */
        SLOW_RESPONSE,
        /** 401 with the server's exact body, as if the API credentials had been rotated; nothing is executed. */
        UNAUTHORIZED
    }

    private final Kind kind;
    private final Duration delay;
    private final Duration jitter;
    private final int limit;
    private final int httpStatus;
    private final String resource;
    private final String method;
    private final double probability;
    private final int times;
    private final Duration lasting;

    private Fault(Kind kind, Duration delay, Duration jitter, int limit, int httpStatus, String resource,
                  String method, double probability, int times, Duration lasting) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.delay = delay;
        this.jitter = jitter;
        this.limit = limit;
        this.httpStatus = httpStatus;
        this.resource = resource;
        this.method = method;
        this.probability = probability;
        this.times = times;
        this.lasting = lasting;
    }

    private static Fault of(Kind kind) {
        return new Fault(kind, Duration.ZERO, Duration.ZERO, 0, 0, null, null, 1.0, 0, null);
    }

    public static Fault latency(Duration fixed, Duration jitter) {
        requireNotNegative(fixed, "fixed");
        requireNotNegative(jitter, "jitter");
        return new Fault(Kind.LATENCY, fixed, jitter, 0, 0, null, null, 1.0, 0, null);
    }

    public static Fault capacity(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("capacity needs at least one worker");
        }
        return new Fault(Kind.CAPACITY, Duration.ZERO, Duration.ZERO, workers, 0, null, null, 1.0, 0, null);
    }

    /** Connections refused for {@code window}; the listening socket comes back afterwards. */
    public static Fault outage(Duration window) {
        requireNotNegative(window, "window");
        return of(Kind.OUTAGE).lasting(window);
    }

    public static Fault connectionReset() {
        return of(Kind.CONNECTION_RESET);
    }

    public static Fault httpError(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HTTP error status is 4xx or 5xx: " + status);
        }
        return new Fault(Kind.HTTP_ERROR, Duration.ZERO, Duration.ZERO, 0, status, null, null, 1.0, 0, null);
    }

    public static Fault emptyBody() {
        return of(Kind.EMPTY_BODY);
    }

    public static Fault phpWarning() {
        return of(Kind.PHP_WARNING);
    }

    public static Fault outputKey() {
        return of(Kind.OUTPUT_KEY);
    }

    public static Fault truncatedBody() {
        return of(Kind.TRUNCATED_BODY);
    }

    public static Fault slowResponse(Duration delay) {
        requireNotNegative(delay, "delay");
        return new Fault(Kind.SLOW_RESPONSE, delay, Duration.ZERO, 0, 0, null, null, 1.0, 0, null);
    }

    public static Fault unauthorized() {
        return of(Kind.UNAUTHORIZED);
    }

    /** Only requests to this resource (as in the path, case-insensitive), e.g. {@code "accounts"}. */
    public Fault forResource(String resourceName) {
        return new Fault(kind, delay, jitter, limit, httpStatus, resourceName, method, probability, times, lasting);
    }

    /** Only requests with this HTTP method (case-insensitive). */
    public Fault forMethod(String httpMethod) {
        return new Fault(kind, delay, jitter, limit, httpStatus, resource,
                httpMethod == null ? null : httpMethod.toUpperCase(Locale.ROOT), probability, times, lasting);
    }

    /** Only this share (0..1) of the matching requests. */
    public Fault withProbability(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + share);
        }
        return new Fault(kind, delay, jitter, limit, httpStatus, resource, method, share, times, lasting);
    }

    /** Only the next {@code count} matching requests; then the rule is gone. Not for an outage (see below). */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + count);
        }
        if (kind == Kind.OUTAGE) {
            // with the port closed no request arrives to be counted: the rule would never end
            throw new IllegalArgumentException("an outage ends by lasting_ms, not by times");
        }
        return new Fault(kind, delay, jitter, limit, httpStatus, resource, method, probability, count, lasting);
    }

    /** The rule ends by itself after this long (counted from when it is added). */
    public Fault lasting(Duration window) {
        requireNotNegative(window, "window");
        return new Fault(kind, delay, jitter, limit, httpStatus, resource, method, probability, times, window);
    }

    public Kind kind() {
        return kind;
    }

    public Duration delay() {
        return delay;
    }

    public Duration jitter() {
        return jitter;
    }

    public int limit() {
        return limit;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Resource filter, or null for every resource. */
    public String resource() {
        return resource;
    }

    /** Method filter (upper case), or null for every method. */
    public String method() {
        return method;
    }

    public double probability() {
        return probability;
    }

    /** Remaining uses, 0 = unlimited. */
    public int times() {
        return times;
    }

    /** How long the rule lives, or null until removed. */
    public Duration lasting() {
        return lasting;
    }

    boolean matches(String httpMethod, String resourceName) {
        if (method != null && !method.equalsIgnoreCase(httpMethod)) {
            return false;
        }
        return resource == null || resource.equalsIgnoreCase(resourceName);
    }

    /** Faults that decide the answer instead of, or after, the application (at most one per request). */
    boolean shapesResponse() {
        return kind != Kind.LATENCY && kind != Kind.CAPACITY && kind != Kind.OUTAGE;
    }

    private static void requireNotNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a non-negative duration");
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (httpStatus != 0 ? " " + httpStatus : "")
                + (limit != 0 ? " limit=" + limit : "")
                + (!delay.isZero() ? " delay=" + delay.toMillis() + "ms" : "")
                + (!jitter.isZero() ? " jitter=" + jitter.toMillis() + "ms" : "")
                + (resource != null ? " resource=" + resource : "")
                + (method != null ? " method=" + method : "")
                + (probability < 1 ? " probability=" + probability : "")
                + (times != 0 ? " times=" + times : "")
                + (lasting != null ? " lasting=" + lasting.toMillis() + "ms" : "");
    }
}
