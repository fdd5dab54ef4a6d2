package dev.ministramanager.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Swagger UI from its WebJar (org.webjars:swagger-ui), served by the API's HTTP server at {@code <context>/docs/}
 * without authentication, like the document it shows. Only the files the UI loads are served, each read from the
 * class path once and kept (about 2.5 MB); {@code swagger-initializer.js} is ours, pointing the UI at
 * {@code ../openapi.json}. Nothing is fetched from the internet.
 */
final class SwaggerUi {

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String INITIALIZER = "openapi/swagger-initializer.js";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "index.css", "text/css",
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "swagger-initializer.js", "text/javascript",
            "favicon-16x16.png", "image/png",
            "favicon-32x32.png", "image/png");

    private final String webjarDirectory = WEBJAR + webjarVersion() + "/";
    private final Map<String, Buffer> loaded = new ConcurrentHashMap<>();

    private SwaggerUi() {
    }

    static void install(CamelContext camel, int port) {
        String docs = camel.getRestConfiguration().getContextPath() + "/docs";
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        SwaggerUi ui = new SwaggerUi();
        router.get(docs + "*").handler(ctx -> {
            String path = ctx.request().path();
            if (path.equals(docs)) {
                ctx.redirect(docs + "/");
            } else if (path.startsWith(docs + "/")) {
                ui.serve(ctx, path.substring(docs.length() + 1));
            } else {
                ctx.next();
            }
        });
    }

    private void serve(RoutingContext ctx, String requested) {
        String file = requested.isEmpty() ? "index.html" : requested;
        String contentType = FILES.get(file);
        if (contentType == null) {
            ctx.next();
            return;
        }
        Buffer content = loaded.computeIfAbsent(file, this::read);
        ctx.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-cache").end(content);
    }

    private Buffer read(String file) {
        String resource = "swagger-initializer.js".equals(file) ? INITIALIZER : webjarDirectory + file;
        try (InputStream in = SwaggerUi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI file " + resource + " is missing from the class path");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = SwaggerUi.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("The Swagger UI WebJar is missing from the class path");
            }
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
