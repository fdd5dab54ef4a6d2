package dev.ministramanager.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain java.net.http client for the simulator's Ministra API (with its credentials) and control API. */
final class MinistraHttp {

    /**
     * A request sent while an outage closes the port can be accepted and never answered (a server going down does
     * that too): no test may wait for it forever.
     */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final MinistraSimulator simulator;
    private final HttpClient client;
    private final String authorization;

    MinistraHttp(MinistraSimulator simulator) {
        this.simulator = simulator;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((simulator.settings().apiUser() + ":"
                + simulator.settings().apiPassword()).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String relative) throws IOException, InterruptedException {
        return send("GET", relative, null, null);
    }

    /** The status of a GET, or empty while the port refuses connections (an outage). */
    java.util.OptionalInt statusUnlessRefused(String relative) throws InterruptedException {
        try {
            return java.util.OptionalInt.of(get(relative).statusCode());
        } catch (IOException refused) {
            return java.util.OptionalInt.empty();
        }
    }

    HttpResponse<String> post(String relative, String form) throws IOException, InterruptedException {
        return send("POST", relative, form, null);
    }

    HttpResponse<String> put(String relative, String form) throws IOException, InterruptedException {
        return send("PUT", relative, form, null);
    }

    HttpResponse<String> delete(String relative) throws IOException, InterruptedException {
        return send("DELETE", relative, null, null);
    }

    /** A Ministra API call: {@code relative} is appended to {@code /stalker_portal/api/v1/}. */
    HttpResponse<String> send(String method, String relative, String form, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.apiBaseUrl() + relative))
                .header("Authorization", authorization)
                .method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request.timeout(timeout != null ? timeout : DEFAULT_TIMEOUT);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A control API call: {@code path} under the simulator's root, e.g. {@code /_sim/reset}. */
    HttpResponse<String> control(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .timeout(DEFAULT_TIMEOUT)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
