package dev.ministramanager.simulator;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request that reaches the port: the control API, the Ministra API through the fault rules (latency, capacity,
 * spoiled answers) and the state file's commit, and Apache's 404 for the rest; with the write log and the tally of
 * requests per resource.
 */
final class ApiRequests {

    private static final String API_V1 = "/stalker_portal/api/v1/";
    private static final String API = "/stalker_portal/api/";
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE);

    private final Vertx vertx;
    private final MinistraState state;
    private final RestApi api;
    private final Faults faults;
    private final ControlApi control;
    /** Where the state is kept across restarts; null = in memory only. */
    private final StateFile stateFile;
    private final ScheduledExecutorService delays;
    private final List<WriteLogEntry> writeLog = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> requestTally = new ConcurrentHashMap<>();
    private final ArrayDeque<Runnable> waitingForWorker = new ArrayDeque<>();
    private int workersBusy;

    ApiRequests(Vertx vertx, MinistraState state, RestApi api, Faults faults, ControlApi control, StateFile stateFile,
                ScheduledExecutorService delays) {
        this.vertx = vertx;
        this.state = state;
        this.api = api;
        this.faults = faults;
        this.control = control;
        this.stateFile = stateFile;
        this.delays = delays;
    }

    /** Every mutating request (POST, PUT, DELETE) to the Ministra API so far, in arrival order. */
    List<WriteLogEntry> writeLog() {
        synchronized (writeLog) {
            return List.copyOf(writeLog);
        }
    }

    void clearWriteLog() {
        writeLog.clear();
    }

    /** Empties the write log and the tally. */
    void clear() {
        writeLog.clear();
        requestTally.clear();
    }

    long requestCount(String method, String resource) {
        LongAdder count = requestTally.get(tallyKey(method, resource));
        return count == null ? 0 : count.sum();
    }

    private static String tallyKey(String method, String resource) {
        return method.toUpperCase(Locale.ROOT) + " " + resource.toLowerCase(Locale.ROOT);
    }

    void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/_sim") || path.startsWith("/_sim/")) {
            control.handle(request);
        } else if (path.startsWith(API)) {
            Instant received = state.now();
            request.body().onSuccess(body -> serveApi(request, received, body.getBytes()));
        } else {
            Instant received = state.now();
            request.body().onSuccess(body -> {
                if (MUTATING.contains(request.method())) {
                    log(request, received, body.getBytes(), null, List.of(), "HTTP 404", null, null);
                }
                HttpReplies.sendApacheError(request, 404);
            });
        }
    }

    private void serveApi(HttpServerRequest request, Instant received, byte[] body) {
        String path = request.path();
        String relative = path.startsWith(API_V1) ? path.substring(API_V1.length()) : path.substring(API.length());
        if (relative.indexOf('%') >= 0 && relative.toLowerCase(Locale.ROOT).contains("%2f")) {
            // Apache refuses encoded slashes (AllowEncodedSlashes Off) before PHP runs
            if (MUTATING.contains(request.method())) {
                log(request, received, body, null, List.of(), "HTTP 404", null, null);
            }
            HttpReplies.sendApacheError(request, 404);
            return;
        }
        RequestPath route = RequestPath.parse(relative, request.query());
        if (route.resource() != null) {
            requestTally.computeIfAbsent(tallyKey(request.method().name(), route.resource()),
                    key -> new LongAdder()).increment();
        }
        Faults.Plan plan = faults.plan(request.method().name(), route.resource());
        Context context = vertx.getOrCreateContext();
        AtomicBoolean released = new AtomicBoolean(plan.capacity() == 0);
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                freeWorker();
            }
        };
        Runnable serve = () -> after(plan.latency(), () -> execute(request, received, body, route, plan, release));
        if (plan.capacity() > 0) {
            request.connection().closeHandler(v -> release.run());
            takeWorker(plan.capacity(), () -> context.runOnContext(v -> serve.run()));
        } else {
            serve.run();
        }
    }

    private void execute(HttpServerRequest request, Instant received, byte[] body, RequestPath route,
                         Faults.Plan plan, Runnable release) {
        Fault fault = plan.response();
        List<String> ids = route.identifiers() == null ? List.of() : route.identifiers();
        String faultName = fault == null ? null : fault.toString();
        if (fault != null) {
            switch (fault.kind()) {
                case CONNECTION_RESET -> {
                    log(request, received, body, route.resource(), ids, "RESET", null, faultName);
                    HttpReplies.reset(request.connection());
                    release.run();
                    return;
                }
                case HTTP_ERROR -> {
                    log(request, received, body, route.resource(), ids, "HTTP " + fault.httpStatus(), null,
                            faultName);
                    HttpReplies.sendApacheError(request, fault.httpStatus());
                    release.run();
                    return;
                }
                case UNAUTHORIZED -> {
                    log(request, received, body, route.resource(), ids, "HTTP 401", "401 Unauthorized request",
                            faultName);
                    HttpReplies.send(request, ApiResponse.json(401, RestApi.UNAUTHORIZED_BODY, List.of(
                            Map.entry("WWW-Authenticate", RestApi.REALM),
                            Map.entry("Content-Type", ApiResponse.JSON))));
                    release.run();
                    return;
                }
                default -> {
                    // the request is executed; the answer is spoiled below
                }
            }
        }
        ApiOutcome outcome = api.handle(request.method().name(), route, request.getHeader("Authorization"), body);
        Runnable logged = () -> log(request, received, body, outcome.resource(), outcome.identifiers(),
                outcome.result(), outcome.error(), faultName);
        if (stateFile != null && MUTATING.contains(request.method())) {
            // answered once the write is on the disk, as a database commits before PHP answers
            Context context = vertx.getOrCreateContext();
            stateFile.afterWritten(() -> context.runOnContext(v -> {
                logged.run();
                answer(request, outcome.response(), fault, release);
            }));
        } else {
            logged.run();
            answer(request, outcome.response(), fault, release);
        }
    }

    private void answer(HttpServerRequest request, ApiResponse response, Fault fault, Runnable release) {
        if (fault == null) {
            HttpReplies.send(request, response);
            release.run();
            return;
        }
        switch (fault.kind()) {
            case SLOW_RESPONSE -> after(fault.delay(), () -> {
                HttpReplies.send(request, response);
                release.run();
            });
            case TRUNCATED_BODY -> {
                HttpReplies.sendTruncated(request, response);
                release.run();
            }
            default -> {
                HttpReplies.send(request, spoil(response, fault));
                release.run();
            }
        }
    }

    private static ApiResponse spoil(ApiResponse response, Fault fault) {
        return switch (fault.kind()) {
            case EMPTY_BODY -> new ApiResponse(200, List.of(Map.entry("Content-Type", ApiResponse.JSON)),
                    new byte[0]);
            case PHP_WARNING -> ApiResponse.json(response.status(), MinistraSimulator.PHP_WARNING
                    + response.bodyText(), response.headers());
            case OUTPUT_KEY -> {
                String text = response.bodyText();
                yield text.endsWith("}")
                        ? ApiResponse.json(response.status(), text.substring(0, text.length() - 1) + ",\"output\":"
                                + PhpJson.encode(MinistraSimulator.PHP_WARNING) + "}", response.headers())
                        : response;
            }
            default -> response;
        };
    }

    /**
     * Runs {@code action} on the calling event loop after {@code delay}. The wait is timed by a scheduler thread (to
     * within a fraction of a millisecond), not by a Vert.x timer, which fires up to a millisecond or more late: a
     * configured 20 ms latency means 20 ms.
     */
    private void after(Duration delay, Runnable action) {
        long nanos = delay.toNanos();
        if (nanos <= 0) {
            action.run();
        } else {
            Context context = vertx.getOrCreateContext();
            delays.schedule(() -> context.runOnContext(v -> action.run()), nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void takeWorker(int limit, Runnable start) {
        synchronized (waitingForWorker) {
            if (workersBusy >= limit) {
                waitingForWorker.add(start);
                return;
            }
            workersBusy++;
        }
        start.run();
    }

    private void freeWorker() {
        Runnable next;
        synchronized (waitingForWorker) {
            next = waitingForWorker.poll();
            if (next == null) {
                workersBusy--;
                return;
            }
        }
        next.run();
    }

    private void log(HttpServerRequest request, Instant received, byte[] body, String resource,
                     List<String> identifiers, String result, String error, String fault) {
        if (!MUTATING.contains(request.method())) {
            return;
        }
        Map<String, List<String>> form = new LinkedHashMap<>(PhpForm.rawPairs(
                new String(body, StandardCharsets.UTF_8)));
        form.replaceAll((name, values) -> name.equals("password") || name.startsWith("password[")
                ? Collections.nCopies(values.size(), WriteLogEntry.MASK) : values);
        writeLog.add(new WriteLogEntry(received, state.now(), request.method().name(), request.uri(), resource,
                List.copyOf(identifiers), Collections.unmodifiableMap(form), result, error, fault));
    }
}
