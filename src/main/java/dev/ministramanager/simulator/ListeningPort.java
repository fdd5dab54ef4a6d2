package dev.ministramanager.simulator;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's port: one HTTP server per event loop sharing the listening socket, closed while an outage lasts
 * and opened again when it ends.
 */
final class ListeningPort {

    private static final Logger LOG = LoggerFactory.getLogger(ListeningPort.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** How long an outage added through the control API waits for its own answer to be written. */
    private static final long ANSWER_FLUSH_MILLIS = 50;

    private final Vertx vertx;
    private final SimulatorSettings settings;
    private final Faults faults;
    private final ScheduledExecutorService delays;
    private final Handler<HttpServerRequest> requests;
    private final List<String> deployments = new ArrayList<>();
    private Future<Void> listening = Future.succeededFuture();
    private volatile int port;

    ListeningPort(Vertx vertx, SimulatorSettings settings, Faults faults, ScheduledExecutorService delays,
                  Handler<HttpServerRequest> requests) {
        this.vertx = vertx;
        this.settings = settings;
        this.faults = faults;
        this.delays = delays;
        this.requests = requests;
    }

    /** Binds the configured port (0 picks a free one) and returns once the socket listens. */
    void open() {
        port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
        await(listen());
    }

    int port() {
        return port;
    }

    /** The fault rules' outage listener: closes the port when an outage starts, opens it when the last one ends. */
    void outageChanged(boolean active, Duration window) {
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
            Set<Integer> ports = new HashSet<>();
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
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, 0));
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
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
                    .setMaxInitialLineLength(MinistraSimulator.APACHE_LIMIT_REQUEST_LINE));
            server.requestHandler(requests)
                    .listen(requestedPort, settings.host())
                    .onSuccess(s -> {
                        actualPort = s.actualPort();
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }
}
