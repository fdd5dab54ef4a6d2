package dev.ministramanager.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Locale;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpSupport;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Camel's Vert.x HTTP engine, routing each request asynchronously. Camel's own consumer runs a request's route on a
 * Vert.x worker thread and holds that thread until the exchange is done, so that a route waiting for something (a
 * provision waiting for Ministra, a reboot waiting for the box) holds a worker: a few dozen such waits took every
 * worker and froze the whole API. Here the route starts on a worker thread as before (its steps may block: SQL,
 * Ministra calls), but a step that completes later (an {@link org.apache.camel.AsyncProcessor} such as an
 * asynchronous delay, or a wait completed by a notification or a timer) gives the worker back; the answer is written
 * on the request's event loop whenever the exchange completes.
 *
 * <p>Bound in the registry as {@code platform-http-engine}, where the platform-http component looks first.
 */
public class AsyncHttpEngine extends VertxPlatformHttpEngine {

    /**
     * Camel's own writing of an exchange's answer ({@code VertxPlatformHttpSupport.writeResponse}: status, headers,
     * body of any type), which is package-private: the answer is written exactly as Camel's consumer writes it.
     */
    private static final MethodHandle WRITE_RESPONSE;

    static {
        try {
            WRITE_RESPONSE = MethodHandles.privateLookupIn(VertxPlatformHttpSupport.class, MethodHandles.lookup())
                    .findStatic(VertxPlatformHttpSupport.class, "writeResponse", MethodType.methodType(Future.class,
                            RoutingContext.class, Exchange.class, HeaderFilterStrategy.class, boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new AsyncConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }

    static final class AsyncConsumer extends VertxPlatformHttpConsumer {

        AsyncConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                      String routerName) {
            super(endpoint, processor, handlers, routerName);
        }

        @Override
        protected void handleRequest(RoutingContext ctx) {
            if (isSuspended() || getEndpoint().isHttpProxy() || hasFormBody(ctx)) {
                // Camel's own handling: answers 503 while suspended; proxies and forms (which this API does not
                // take) have request preparation of their own there
                super.handleRequest(ctx);
                return;
            }
            Context eventLoop = ctx.vertx().getOrCreateContext();
            Exchange exchange = createExchange(false);
            exchange.setPattern(ExchangePattern.InOut);
            processHttpRequest(exchange, ctx).onComplete(read -> {
                if (read.failed()) {
                    fail(exchange, ctx, read.cause());
                    return;
                }
                ctx.vertx().executeBlocking(() -> {
                    createUoW(exchange);
                    getAsyncProcessor().process(exchange, doneSync -> eventLoop.runOnContext(ignored -> answer(
                            exchange, ctx)));
                    return null;
                }, false).onFailure(failure -> fail(exchange, ctx, failure));
            });
        }

        @SuppressWarnings("unchecked")
        private void answer(Exchange exchange, RoutingContext ctx) {
            Future<Void> writing;
            try {
                writing = (Future<Void>) WRITE_RESPONSE.invoke(ctx, exchange, getEndpoint().getHeaderFilterStrategy(),
                        getEndpoint().isMuteException());
            } catch (Throwable failure) {
                fail(exchange, ctx, failure);
                return;
            }
            writing.onComplete(written -> {
                if (written.succeeded()) {
                    complete(exchange);
                } else {
                    fail(exchange, ctx, written.cause());
                }
            });
        }

        private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
            getExceptionHandler().handleException("Failed handling platform-http endpoint "
                    + getEndpoint().getPath(), failure);
            ctx.fail(failure);
            if (getEndpoint().isHandleWriteResponseError() && failure != null) {
                Exception existing = exchange.getException();
                if (existing != null) {
                    failure.addSuppressed(existing);
                }
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
                exchange.setException(failure);
            }
            complete(exchange);
        }

        private void complete(Exchange exchange) {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }

        private static boolean hasFormBody(RoutingContext ctx) {
            String contentType = ctx.request().getHeader("Content-Type");
            if (contentType == null) {
                return false;
            }
            String type = contentType.toLowerCase(Locale.ROOT);
            return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
        }
    }
}
