package dev.ministramanager.simulator;

import io.netty.channel.ChannelOption;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful simulator of the Ministra (Stalker) REST API v1 on its own Vert.x instance: the API under
 * {@code /stalker_portal/api/} and {@code /stalker_portal/api/v1/}, a control API under {@code /_sim/} (see
 * {@link ControlApi}), fault injection and a write log. Imports nothing of the service it is a test bed for.
 */
public final class MinistraSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MinistraSimulator.class);
    private static final String API_V1 = "/stalker_portal/api/v1/";
    private static final String API = "/stalker_portal/api/";
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    static final String PHP_WARNING = "<br />\n<b>Warning</b>:  count(): Parameter must be an array or an object "
            + "that implements Countable in <b>/var/www/stalker_portal/server/lib/user.class.php</b> on line "
            + "<b>1043</b><br />\n";

    private final SimulatorSettings settings;
    private final Vertx vertx;
    private final MinistraState state;
    private final RestApi api;
    private final Faults faults;
    private final Devices devices;
    private final ControlApi control;
    /** Where the state is kept across restarts; null = in memory only. */
    private final StateFile stateFile;
    private final List<WriteLogEntry> writeLog = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, java.util.concurrent.atomic.LongAdder> requestTally =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();
    private final ScheduledExecutorService delays =
            Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "ministra-simulator-delays");
                thread.setDaemon(true);
                return thread;
            });
    private final ArrayDeque<Runnable> waitingForWorker = new ArrayDeque<>();
    private int workersBusy;
    private Future<Void> listening = Future.succeededFuture();
    private volatile int port;

    private MinistraSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.faults = new Faults(clock);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        this.state = new MinistraState(seedCatalogue(), settings, clock);
        this.stateFile = settings.stateDir() == null ? null : StateFile.open(settings.stateDir(), state);
        this.api = new RestApi(state, settings.apiUser(), settings.apiPassword());
        this.devices = new Devices(state, this::stateChanged);
        this.control = new ControlApi(this);
        faults.outageListener(this::outageChanged);
    }

    /** Starts listening and returns once the socket is bound; port 0 picks a free port. */
    public static MinistraSimulator start(SimulatorSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /**
     * As {@link #start(SimulatorSettings)}, with the clock that dates rows, ages events, decides who is online and
     * ends lasting faults (a test advances it instead of sleeping).
     */
    public static MinistraSimulator start(SimulatorSettings settings, Clock clock) {
        MinistraSimulator simulator = new MinistraSimulator(settings, clock);
        try {
            simulator.port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
            await(simulator.listen());
        } catch (RuntimeException e) {
            simulator.vertx.close();
            if (simulator.stateFile != null) {
                simulator.stateFile.close();
            }
            throw e;
        }
        LOG.info("Ministra simulator listening on {}", simulator.apiBaseUrl());
        return simulator;
    }

    public int port() {
        return port;
    }

    public String host() {
        return settings.host();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** {@code http://<host>:<port>/stalker_portal/api/v1/} */
    public String apiBaseUrl() {
        return baseUrl() + "/stalker_portal/api/v1/";
    }

    /** {@code http://<host>:<port>}, where the control API lives under {@code /_sim/}. */
    public String baseUrl() {
        return "http://" + settings.host() + ":" + port;
    }

    /** Back to the seed catalogue and the configured switches: no accounts, events, faults or write-log entries. */
    public void reset() {
        faults.clear();
        synchronized (state) {
            state.reset(seedCatalogue(), settings);
        }
        writeLog.clear();
        requestTally.clear();
        stateChanged();
    }

    /**
     * Replaces the tariff plans and packages, as an operator editing them in the admin panel would; accounts keep
     * their plan ids (a plan id that no longer exists reads back as the default plan, as on the real server).
     * {@code json} has the shape of {@code Catalogue.fromJson}; {@link #reset()} brings back the seed catalogue.
     */
    public void replaceCatalogue(String json) {
        Catalogue catalogue = Catalogue.fromJson(json);
        synchronized (state) {
            state.catalogue(catalogue);
        }
        stateChanged();
    }

    /**
     * How many requests to the Ministra API arrived with this method for this resource since the last reset,
     * faulted ones included (reads are not in the write log).
     */
    public long requestCount(String method, String resource) {
        java.util.concurrent.atomic.LongAdder count = requestTally.get(tallyKey(method, resource));
        return count == null ? 0 : count.sum();
    }

    private static String tallyKey(String method, String resource) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + resource.toLowerCase(java.util.Locale.ROOT);
    }

    public Faults faults() {
        return faults;
    }

    /** Every mutating request (POST, PUT, DELETE) to the Ministra API so far, in arrival order. */
    public List<WriteLogEntry> writeLog() {
        synchronized (writeLog) {
            return List.copyOf(writeLog);
        }
    }

    public void clearWriteLog() {
        writeLog.clear();
    }

    public Devices devices() {
        return devices;
    }

    /** {@code enable_internal_billing}: whether account and STB reads carry {@code end_date}. */
    public void internalBilling(boolean enabled) {
        synchronized (state) {
            state.internalBilling(enabled);
        }
        stateChanged();
    }

    /** {@code allow_multiple_stb_update}: whether {@code PUT /stb} without identifier updates every row. */
    public void allowMultipleStbUpdate(boolean allowed) {
        synchronized (state) {
            state.allowMultipleStbUpdate(allowed);
        }
        stateChanged();
    }

    public void watchdogTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive");
        }
        synchronized (state) {
            state.watchdogTimeout(timeout);
        }
        stateChanged();
    }

    /**
     * Adds {@code count} accounts at once, numbered 1..count: login and account number {@code <prefix><i>}, MAC
     * {@code 00:1A:79} followed by the 24 low bits of i, plan basic, enabled, no password.
     */
    public void loadAccounts(int count, String loginPrefix) {
        long basic;
        synchronized (state) {
            basic = state.catalogue().planIdByExternalId("basic");
            for (int i = 1; i <= count; i++) {
                Account row = state.insert();
                state.setLogin(row, loginPrefix + i);
                state.setAccountNumber(row, loginPrefix + i);
                state.setMac(row, MacAddress.fromIndex(i));
                row.tariffPlanId = basic;
            }
        }
        stateChanged();
    }

    /** State dump: every row as the accounts resource shows it, plus the internal id and the pending events. */
    public List<Map<String, Object>> accountsSnapshot() {
        synchronized (state) {
            List<Map<String, Object>> rows = new ArrayList<>(state.size());
            for (Account row : state.all()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", row.id);
                item.putAll(api.accountInfo(row));
                item.put("status", row.status == 0 ? 1 : 0);
                item.put("password_set", !row.passwordHash.isEmpty());
                item.put("tariff_plan_id", row.tariffPlanId);
                item.put("additional_services_on", row.additionalServicesOn);
                item.put("end_date", row.expireBillingDate);
                item.put("pending_events", state.pendingEvents(row).stream().map(DeviceEvent::event).toList());
                rows.add(item);
            }
            return rows;
        }
    }

    /** The stored password hash of the row with this login (md5(md5(password) + row id)), or null. */
    public String passwordHash(String login) {
        synchronized (state) {
            Account row = state.firstByLogin(login);
            return row == null ? null : row.passwordHash;
        }
    }

    @Override
    public void close() {
        if (stateFile != null) {
            // the last changes reach the disk and their answers go out before the server stops
            stateFile.close();
        }
        delays.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Ministra simulator did not stop cleanly", e);
        }
    }

    private void stateChanged() {
        if (stateFile != null) {
            stateFile.changed();
        }
    }

    // ---- listening, outages ----

    private Catalogue seedCatalogue() {
        return settings.catalogueFile() == null ? Catalogue.seed() : Catalogue.fromFile(settings.catalogueFile());
    }

    /** One server per event loop, deployed together: Vert.x shares the listening socket between them. */
    private Future<Void> listen() {
        List<ServerVerticle> servers = Collections.synchronizedList(new ArrayList<>());
        int requested = port;
        return vertx.deployVerticle(() -> {
            ServerVerticle server = new ServerVerticle(requested);
            servers.add(server);
            return server;
        }, new DeploymentOptions().setInstances(settings.eventLoops())).compose(id -> {
            synchronized (deployments) {
                deployments.add(id);
            }
            Set<Integer> ports = new java.util.HashSet<>();
            servers.forEach(s -> ports.add(s.actualPort));
            if (ports.size() != 1) {
                return Future.failedFuture("the server instances listen on different ports: " + ports);
            }
            port = ports.iterator().next();
            return Future.succeededFuture();
        });
    }

    private Future<Void> stopListening() {
        List<String> ids;
        synchronized (deployments) {
            ids = new ArrayList<>(deployments);
            deployments.clear();
        }
        Future<Void> all = Future.succeededFuture();
        for (String id : ids) {
            all = all.compose(v -> vertx.undeploy(id));
        }
        return all;
    }

    private void outageChanged(boolean active, Duration window) {
        if (active && Context.isOnEventLoopThread()) {
            // added through the control API: close the port once that request's answer has gone out (closing it
            // at once could cut the answer off mid-write)
            delays.schedule(() -> outageChanged(true, window), ANSWER_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        Future<Void> transition = transition(active);
        if (active && window != null) {
            // timed by the scheduler thread, not a Vert.x timer: an outage added through the control API runs on
            // a server verticle's context, and undeploying that verticle (closing the port) cancels its timers,
            // so the port never opened again
            delays.schedule(this::endOutageIfExpired, Math.max(1, window.toMillis()), TimeUnit.MILLISECONDS);
        }
        if (!Context.isOnEventLoopThread()) {
            await(transition);
        }
    }

    /** How long an outage added through the control API waits for its own answer to be written. */
    private static final long ANSWER_FLUSH_MILLIS = 50;

    private void endOutageIfExpired() {
        Duration left = faults.endExpiredOutages();
        if (left == null) {
            return;
        }
        if (left.isZero()) {
            transition(false).onFailure(e -> LOG.warn("Ministra simulator could not listen again after an outage", e));
        } else {
            // the wall clock and the scheduler's may differ by a tick; an overlapping longer outage ends later
            delays.schedule(this::endOutageIfExpired, Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private Future<Void> transition(boolean closed) {
        synchronized (deployments) {
            listening = listening.transform(previous -> closed ? stopListening() : relisten());
            return listening;
        }
    }

    private Future<Void> relisten() {
        synchronized (deployments) {
            if (!deployments.isEmpty()) {
                return Future.succeededFuture();
            }
        }
        return listen();
    }

    /**
     * Vert.x shares one listening socket between the server instances only for a fixed port, so port 0 is
     * resolved here first.
     */
    private static int freePort(String host) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, 0));
            return probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on " + host, e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulator was (un)binding", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Ministra simulator could not (un)bind its port", e);
        }
    }

    /** Apache's LimitRequestLine default, in front of a real Ministra: longer request lines are answered 414. */
    static final int APACHE_LIMIT_REQUEST_LINE = 8190;

    private final class ServerVerticle extends AbstractVerticle {
        private final int requestedPort;
        private volatile int actualPort;

        ServerVerticle(int requestedPort) {
            this.requestedPort = requestedPort;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)
                    .setReuseAddress(true).setIdleTimeout(0)
                    .setMaxInitialLineLength(APACHE_LIMIT_REQUEST_LINE));
            server.requestHandler(MinistraSimulator.this::dispatch)
                    .listen(requestedPort, settings.host())
                    .onSuccess(s -> {
                        actualPort = s.actualPort();
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    // ---- requests ----

    private void dispatch(HttpServerRequest request) {
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
                sendApacheError(request, 404);
            });
        }
    }

    private void serveApi(HttpServerRequest request, Instant received, byte[] body) {
        String path = request.path();
        String relative = path.startsWith(API_V1) ? path.substring(API_V1.length()) : path.substring(API.length());
        if (relative.indexOf('%') >= 0 && relative.toLowerCase(java.util.Locale.ROOT).contains("%2f")) {
            // Apache refuses encoded slashes (AllowEncodedSlashes Off) before PHP runs
            if (MUTATING.contains(request.method())) {
                log(request, received, body, null, List.of(), "HTTP 404", null, null);
            }
            sendApacheError(request, 404);
            return;
        }
        RestApi.Route route = RestApi.route(relative, request.query());
        if (route.resource() != null) {
            requestTally.computeIfAbsent(tallyKey(request.method().name(), route.resource()),
                    key -> new java.util.concurrent.atomic.LongAdder()).increment();
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

    private void execute(HttpServerRequest request, Instant received, byte[] body, RestApi.Route route,
                         Faults.Plan plan, Runnable release) {
        Fault fault = plan.response();
        List<String> ids = route.identifiers() == null ? List.of() : route.identifiers();
        String faultName = fault == null ? null : fault.toString();
        if (fault != null) {
            switch (fault.kind()) {
                case CONNECTION_RESET -> {
                    log(request, received, body, route.resource(), ids, "RESET", null, faultName);
                    reset(request.connection());
                    release.run();
                    return;
                }
                case HTTP_ERROR -> {
                    log(request, received, body, route.resource(), ids, "HTTP " + fault.httpStatus(), null,
                            faultName);
                    sendApacheError(request, fault.httpStatus());
                    release.run();
                    return;
                }
                case UNAUTHORIZED -> {
                    log(request, received, body, route.resource(), ids, "HTTP 401", "401 Unauthorized request",
                            faultName);
                    send(request, ApiResponse.json(401, RestApi.UNAUTHORIZED_BODY, List.of(
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
            send(request, response);
            release.run();
            return;
        }
        switch (fault.kind()) {
            case SLOW_RESPONSE -> after(fault.delay(), () -> {
                send(request, response);
                release.run();
            });
            case TRUNCATED_BODY -> {
                sendTruncated(request, response);
                release.run();
            }
            default -> {
                send(request, spoil(response, fault));
                release.run();
            }
        }
    }

    private static ApiResponse spoil(ApiResponse response, Fault fault) {
        return switch (fault.kind()) {
            case EMPTY_BODY -> new ApiResponse(200, List.of(Map.entry("Content-Type", ApiResponse.JSON)),
                    new byte[0]);
            case PHP_WARNING -> ApiResponse.json(response.status(), PHP_WARNING + response.bodyText(),
                    response.headers());
            case OUTPUT_KEY -> {
                String text = response.bodyText();
                yield text.endsWith("}")
                        ? ApiResponse.json(response.status(), text.substring(0, text.length() - 1) + ",\"output\":"
                                + PhpJson.encode(PHP_WARNING) + "}", response.headers())
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

    private static void send(HttpServerRequest request, ApiResponse response) {
        HttpServerResponse out = request.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status());
        for (Map.Entry<String, String> header : response.headers()) {
            out.headers().add(header.getKey(), header.getValue());
        }
        if (request.method() == HttpMethod.HEAD) {
            out.end();
        } else {
            out.end(Buffer.buffer(response.body()));
        }
    }

    private static void sendTruncated(HttpServerRequest request, ApiResponse response) {
        HttpServerResponse out = request.response();
        out.setStatusCode(response.status());
        for (Map.Entry<String, String> header : response.headers()) {
            out.headers().add(header.getKey(), header.getValue());
        }
        out.putHeader("Content-Length", String.valueOf(response.body().length));
        byte[] half = java.util.Arrays.copyOf(response.body(), response.body().length / 2);
        out.write(Buffer.buffer(half)).onComplete(done -> request.connection().close());
    }

    /** An RST instead of an answer: SO_LINGER 0, then close. */
    private static void reset(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            base.channel().close();
        } else {
            connection.close();
        }
    }

    static void sendApacheError(HttpServerRequest request, int status) {
        String reason = switch (status) {
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
        String html = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>" + status + " "
                + reason + "</title>\n</head><body>\n<h1>" + reason + "</h1>\n<p>The server could not complete "
                + "your request.</p>\n<hr>\n<address>Apache/2.4.71 (Debian) Server</address>\n</body></html>\n";
        HttpServerResponse out = request.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=iso-8859-1");
        if (request.method() == HttpMethod.HEAD) {
            out.end();
        } else {
            out.end(html);
        }
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

    // ---- for the control API ----

    MinistraState state() {
        return state;
    }

    Vertx vertx() {
        return vertx;
    }
}
