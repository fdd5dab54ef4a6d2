package dev.ministramanager.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;

/**
 * JSON in and out of the REST API, and problem+json for what the HTTP server answers before any route runs:
 * unknown paths (404), wrong methods (405), oversized bodies (413), and requests the HTTP codec cannot read (414,
 * 431, 400: {@link InvalidRequests}).
 */
public class ApiConfiguration implements CamelConfiguration {

    @PropertyInject("mm.http.max-body-bytes")
    private long maxBodyBytes;
    @PropertyInject("camel.server.port")
    private int serverPort;

    @Override
    public void configure(CamelContext camel) {
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ApiResponses responses = new ApiResponses(json);
        camel.getRegistry().bind("json", json);
        camel.getRegistry().bind("apiResponses", responses);
        camel.getRegistry().bind("jsonRequests", new JsonRequests(json, maxBodyBytes));
        // the Vert.x instance Camel's HTTP servers run on (Camel uses the one in the registry, and then leaves its
        // closing to us): their unreadable requests are answered as problem+json
        Vertx vertx = Vertx.vertx();
        camel.getRegistry().bind("vertx", InvalidRequests.answeringProblems(vertx, responses));
        // REST routes that wait (for Ministra, for a box) give their worker thread back while they wait
        camel.getRegistry().bind("platform-http-engine", new AsyncHttpEngine());

        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    installServerProblems(camel, serverPort, responses);
                } else if (event.getType() == CamelEvent.Type.CamelContextStopped) {
                    vertx.close();
                }
            }
        });
    }

    /**
     * Camel's REST routes live on a sub-router of the HTTP server, where Vert.x's own error pages cannot be replaced;
     * a last-resort route answers what no REST route took (404, or 405 with Allow when the path exists with other
     * methods), and a failure handler answers the body limit (413).
     */
    private static void installServerProblems(CamelContext camel, int port, ApiResponses responses) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.route().last().handler(ctx -> {
            Set<String> allowed = methodsServing(router, ctx.request().path());
            if (allowed.isEmpty()) {
                answer(ctx, responses, new ProblemException(404, "Not found",
                        "No resource at " + ctx.request().path() + ".", Map.of()));
            } else if (allowed.contains(ctx.request().method().name())) {
                // the path and method exist, so the route's consumes/produces did not match the request
                String contentType = ctx.request().getHeader("Content-Type");
                answer(ctx, responses, contentType == null || !contentType.toLowerCase().contains("json")
                        ? new ProblemException(415, "Unsupported media type",
                                "The request body must be application/json (a CSV import's: text/csv).", Map.of())
                        : new ProblemException(406, "Not acceptable", "Answers are application/json.", Map.of()));
            } else {
                ctx.response().putHeader("Allow", String.join(", ", allowed));
                answer(ctx, responses, new ProblemException(405, "Method not allowed", ctx.request().method()
                        + " is not supported on " + ctx.request().path() + "; use " + String.join(", ", allowed)
                        + ".", Map.of()));
            }
        });
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                answer(ctx, responses, new ProblemException(413, "Payload too large",
                        "The request body exceeds the limit (mm.http.max-body-bytes; a CSV import:"
                                + " mm.imports.csv-max-bytes).", Map.of()));
            } else {
                ctx.next();
            }
        });
    }

    private static Set<String> methodsServing(VertxPlatformHttpRouter router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && templateMatches(route.getPath(), path)) {
                route.methods().forEach(method -> methods.add(method.name()));
            }
        }
        return methods;
    }

    private static boolean templateMatches(String template, String path) {
        String[] expected = template.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (!expected[i].startsWith(":") && !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static void answer(RoutingContext ctx, ApiResponses responses, ProblemException problem) {
        try {
            ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", ApiResponses.PROBLEM_JSON)
                    .end(io.vertx.core.buffer.Buffer.buffer(responses.problemBytes(problem)));
        } catch (Exception e) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}
