package dev.ministramanager.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.security.ApiPrincipal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events/stream?company=&types=}: the events as server-sent events, for any signed-in user,
 * limited to the companies that user may see. Served by a Vert.x handler beside the REST routes, because a stream
 * that stays open is no request-reply exchange: the handler holds no thread while it waits; it reads the outbox
 * every {@code pollInterval} off the event loop and writes what is new, with the sequence number as the SSE
 * {@code id}, so a client that reconnects with {@code Last-Event-ID} (or {@code ?after=}) resumes where it was, for
 * as long as the events are kept. A comment line every {@code heartbeat} keeps proxies from closing an idle stream.
 */
public class EventStream {

    public static final String PATH = "/api/v1/events/stream";
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int PAGE = 200;

    private final ApiGate gate;
    private final EventFeed feed;
    private final ApiResponses responses;
    private final ObjectMapper json;
    private final Duration pollInterval;
    private final Duration heartbeat;

    public EventStream(ApiGate gate, EventFeed feed, ApiResponses responses, ObjectMapper json,
                       Duration pollInterval, Duration heartbeat) {
        this.gate = gate;
        this.feed = feed;
        this.responses = responses;
        this.json = json;
        this.pollInterval = pollInterval;
        this.heartbeat = heartbeat;
    }

    public void install(Router router) {
        router.get(PATH).order(-1).handler(this::open);
    }

    private record Subscription(List<Long> companies, List<String> types, long after) {
    }

    private void open(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        String cookies = ctx.request().getHeader("Cookie");
        String query = ctx.request().query();
        String company = ctx.request().getParam("company");
        String types = ctx.request().getParam("types");
        String after = ctx.request().getHeader("Last-Event-ID") != null ? ctx.request().getHeader("Last-Event-ID")
                : ctx.request().getParam("after");
        Vertx vertx = ctx.vertx();
        String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        vertx.executeBlocking(() -> subscribe(authorization, cookies, source, query, company, types, after), false)
                .onComplete(opened -> {
            if (opened.failed()) {
                ProblemException problem = ApiResponses.problemOf(opened.cause());
                if (problem == null) {
                    LOG.error("Event stream could not be opened", opened.cause());
                    problem = new ProblemException(500, "Internal error", "The request failed on our side; it has"
                            + " been logged.", Map.of());
                }
                problem(ctx, problem);
            } else {
                stream(ctx, opened.result(), () -> gate.authenticateReader(authorization, cookies, source));
            }
        });
    }

    private Subscription subscribe(String authorization, String cookies, String source, String query,
                                   String company, String types, String after) {
        // blocking (BCrypt on a first use), so not on an event loop; counted by the failed-authentication limits
        ApiPrincipal principal = gate.authenticateReader(authorization, cookies, source);
        // as every REST operation: a NUL or line break in any parameter is a 400 naming it, never a stream
        ApiGate.checkQueryText(query);
        List<Long> companies = gate.companiesOf(principal);
        if (company != null) {
            companies = List.of(gate.companyNamedBy(principal, company));
        }
        // after=now: only what comes next (the console's dashboard), not the whole retention
        long from = "now".equals(after) ? feed.newest() : EventFeed.after(after);
        return new Subscription(companies, EventFeed.types(types), from);
    }

    /**
     * Writes the subscription's events until the client goes. At every heartbeat the caller's credentials are
     * checked again ({@code stillSignedIn}), so a stream stops within a heartbeat once its session ends or its user
     * is disabled.
     */
    private void stream(RoutingContext ctx, Subscription subscription, Runnable stillSignedIn) {
        Vertx vertx = ctx.vertx();
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                // nginx would otherwise buffer the stream
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 3000\n\n");
        AtomicLong cursor = new AtomicLong(subscription.after());
        AtomicBoolean reading = new AtomicBoolean();
        long poller = vertx.setPeriodic(pollInterval.toMillis(), tick -> {
            // a slow client's unsent events wait in the database, not in memory
            if (response.writeQueueFull() || !reading.compareAndSet(false, true)) {
                return;
            }
            vertx.executeBlocking(() -> feed.read(subscription.companies(), subscription.types(), cursor.get(), PAGE),
                    false).onComplete(read -> {
                        reading.set(false);
                        if (response.ended()) {
                            return;
                        }
                        if (read.failed()) {
                            LOG.warn("Event stream read failed: {}", read.cause().toString());
                            return;
                        }
                        for (Map<String, Object> event : read.result()) {
                            response.write(frame(event));
                            cursor.set((Long) event.get("sequence"));
                        }
                    });
        });
        long beat = vertx.setPeriodic(heartbeat.toMillis(), tick -> vertx.executeBlocking(() -> {
            stillSignedIn.run();
            return null;
        }, false).onComplete(checked -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (checked.succeeded()) {
                response.write(": heartbeat\n\n");
            } else {
                // signed out, expired or disabled: the stream ends (an EventSource that reconnects is refused)
                vertx.cancelTimer(poller);
                vertx.cancelTimer(tick);
                response.end();
            }
        }));
        response.closeHandler(closed -> {
            vertx.cancelTimer(poller);
            vertx.cancelTimer(beat);
        });
    }

    private Buffer frame(Map<String, Object> event) {
        try {
            return Buffer.buffer("id: " + event.get("sequence") + "\nevent: " + event.get("type") + "\ndata: "
                    + json.writeValueAsString(event) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void problem(RoutingContext ctx, ProblemException problem) {
        try {
            HttpServerResponse response = ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", ApiResponses.PROBLEM_JSON);
            if (problem instanceof ApiResponses.ChallengingProblem challenge) {
                response.putHeader("WWW-Authenticate", challenge.challenge());
            }
            response.end(Buffer.buffer(responses.problemBytes(problem)));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}
