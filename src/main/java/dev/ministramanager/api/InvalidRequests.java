package dev.ministramanager.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP codec cannot read (a request line over 4 KB: 414, headers over 8 KB: 431, a malformed
 * Content-Length or request line: 400) never reach a router: Vert.x answers them itself, with an empty body and no
 * content type, through the server's invalid-request handler. Camel creates its HTTP servers itself and gives no
 * access to that handler before they listen, but it uses the Vert.x instance it finds in the registry; so the service
 * binds one whose {@code createHttpServer} installs a handler that answers problem+json, on the API and the
 * management port alike.
 */
final class InvalidRequests {

    private InvalidRequests() {
    }

    /** {@code vertx}, except that every HTTP server it creates answers unreadable requests with problem+json. */
    static Vertx answeringProblems(Vertx vertx, ApiResponses responses) {
        Handler<HttpServerRequest> handler = request -> answer(request, responses);
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class},
                (proxy, method, arguments) -> {
                    Object result;
                    try {
                        result = method.invoke(vertx, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof HttpServer server && method.getName().equals("createHttpServer")) {
                        server.invalidRequestHandler(handler);
                    }
                    return result;
                });
    }

    private static void answer(HttpServerRequest request, ApiResponses responses) {
        Throwable cause = request.decoderResult().cause();
        ProblemException problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = new ProblemException(414, "URI too long", "The request line is longer than the server"
                    + " accepts (4096 bytes).", Map.of());
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = new ProblemException(431, "Request header fields too large", "The request headers are"
                    + " larger than the server accepts (8192 bytes).", Map.of());
        } else {
            problem = new ProblemException(400, "Bad request", "The request is not valid HTTP/1.1 (request line or"
                    + " headers, e.g. Content-Length).", Map.of());
        }
        try {
            request.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", ApiResponses.PROBLEM_JSON)
                    .putHeader("Connection", "close")
                    .end(Buffer.buffer(responses.problemBytes(problem)));
        } catch (Exception e) {
            request.connection().close();
        }
    }
}
