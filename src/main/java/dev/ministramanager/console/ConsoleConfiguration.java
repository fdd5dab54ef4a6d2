package dev.ministramanager.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * The operator console: static files from the jar ({@code console/} and the uPlot WebJar) under {@code /console/} on
 * the API port, with {@code /} redirecting there. The console is plain ES modules that call the public REST API;
 * it is served with a Content-Security-Policy that allows only its own scripts and styles (no inline script), so
 * that even a value that slipped past escaping could not run.
 */
public class ConsoleConfiguration implements CamelConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @PropertyInject("camel.server.port")
    private int port;

    @Override
    public void configure(CamelContext camel) {
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    serveConsole(camel, port);
                }
            }
        });
    }

    private static void serveConsole(CamelContext camel, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.get("/").handler(ctx -> redirect(ctx, "/console/"));
        // a plain "/console" route would also match "/console/"
        router.getWithRegex("/console").handler(ctx -> redirect(ctx, "/console/"));
        router.route("/console/*").handler(ConsoleConfiguration::securityHeaders);
        router.get("/console/vendor/uplot/*").handler(StaticHandler
                .create("META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist")
                .setMaxAgeSeconds(86_400));
        // the console's own files change with each release: the browser asks again (a 304 when unchanged)
        router.get("/console/*").handler(StaticHandler.create("console").setCachingEnabled(false)
                .setDefaultContentEncoding("UTF-8").setIndexPage("index.html"));
        // a file the console does not have; answered here, as the API's catch-all would take it for a wrong method
        router.get("/console/*").handler(ctx -> ctx.response().setStatusCode(404)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("Not found"));
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        ctx.next();
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
    }

    /** The version of a WebJar on the class path, so that upgrading it is a change of the pom only. */
    private static String webJarVersion(String artifact) {
        String path = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = ConsoleConfiguration.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The WebJar " + artifact + " is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
