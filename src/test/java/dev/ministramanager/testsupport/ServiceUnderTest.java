package dev.ministramanager.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import dev.ministramanager.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole service, booted in this JVM as README's first command boots it (the same Main, configuration and YAML
 * routes), on free ports and its own database, driven over real HTTP.
 */
public final class ServiceUnderTest implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-bootstrap-admin-token-7f3a9c";
    public static final String SECRET_KEY = "q83vEjlPF5XtCYWt+YN6ZKeOl7FPYxJWNNqIAx0xdS8=";

    private final Main main;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient client = HttpClient.newBuilder()
            // as billing systems call REST APIs: HTTP/1.1 on pooled keep-alive connections (no h2c upgrade)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceUnderTest(Main main, int httpPort, int managementPort) {
        this.main = main;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    public static ServiceUnderTest start(TestDatabase database, Map<String, String> overrides) {
        int httpPort = freePort();
        int managementPort = freePort();
        Map<String, String> properties = new HashMap<>();
        properties.put("mm.http.port", String.valueOf(httpPort));
        properties.put("mm.management.port", String.valueOf(managementPort));
        properties.put("mm.db.url", database.url());
        properties.put("mm.db.user", database.user());
        properties.put("mm.db.pool-size", "5");
        properties.put("mm.secret-key", SECRET_KEY);
        properties.put("mm.bootstrap.admin-token", ADMIN_TOKEN);
        // tests bring their own simulator (SimulatorExtension); the embedded one is tested on its own
        properties.put("mm.simulator.enabled", "false");
        properties.putAll(overrides);
        Main main = Application.newMain();
        String profile = properties.remove("camel.main.profile");
        if (profile != null) {
            main.configure().setProfile(profile);
        }
        Properties override = new Properties();
        override.putAll(properties);

        main.setOverrideProperties(override);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("The service did not start", e);
        }
        return new ServiceUnderTest(main, httpPort, managementPort);
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/api/v1" + path);
    }

    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public ApiAnswer get(String path, String token) {
        return send(request(api(path), token).GET());
    }

    public ApiAnswer delete(String path, String token) {
        return send(request(api(path), token).DELETE());
    }

    public ApiAnswer post(String path, String token, String json) {
        return send(request(api(path), token).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public ApiAnswer patch(String path, String token, String json) {
        return send(request(api(path), token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpRequest.Builder request(URI uri, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public ApiAnswer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiAnswer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The service did not stop", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
