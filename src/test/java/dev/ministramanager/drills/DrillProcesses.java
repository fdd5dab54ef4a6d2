package dev.ministramanager.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/**
 * Real processes for the drills: the built jar ({@code target/ministra-manager-runner.jar}) started as service nodes
 * and as the standalone Ministra simulator, each a JVM of its own on free loopback ports, stopped (or killed) like an
 * operator would. Their output goes to {@code target/drills/<name>.log}.
 */
final class DrillProcesses implements AutoCloseable {

    static final String ADMIN = "drill-bootstrap-admin-token-5be1d";
    private static final String SECRET_KEY = "q83vEjlPF5XtCYWt+YN6ZKeOl7FPYxJWNNqIAx0xdS8=";
    private static final Path JAR = Path.of("target/ministra-manager-runner.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();

    /** A node of the service, or the simulator: its process, ports and API. */
    final class Node {
        final String name;
        final int httpPort;
        final int managementPort;
        final Map<String, String> environment;
        Process process;

        Node(String name, Map<String, String> environment) {
            this.name = name;
            this.httpPort = ServiceUnderTest.freePort();
            this.managementPort = ServiceUnderTest.freePort();
            this.environment = environment;
        }

        Node start() throws IOException, InterruptedException {
            Map<String, String> env = new HashMap<>(environment);
            env.put("MM_HTTP_PORT", String.valueOf(httpPort));
            env.put("MM_MANAGEMENT_PORT", String.valueOf(managementPort));
            process = launch(name, env, "-jar", JAR.toString());
            awaitReady();
            return this;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see "
                            + log(name));
                }
                try {
                    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + managementPort + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " was not ready within 60 s; see " + log(name));
        }

        JsonNode call(String method, String path, String json) throws IOException, InterruptedException {
            HttpResponse<String> answer = send(method, path, json);
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            return answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
        }

        HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1" + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + ADMIN);
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The standalone simulator in a JVM of its own. */
    final class Simulator {
        final int port = ServiceUnderTest.freePort();
        Process process;

        Simulator start() throws IOException, InterruptedException {
            process = launch("simulator", Map.of("MM_SIM_PORT", String.valueOf(port)), "-cp", JAR.toString(),
                    "dev.ministramanager.simulator.SimulatorMain");
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (control("GET", "faults", null).isArray()) {
                        return this;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            throw new IllegalStateException("the simulator did not start; see " + log("simulator"));
        }

        String apiBaseUrl() {
            return "http://127.0.0.1:" + port + "/stalker_portal/api/v1/";
        }

        JsonNode control(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_sim/"
                    + path)).timeout(Duration.ofSeconds(60));
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            String body = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        }
    }

    Simulator simulator() {
        return new Simulator();
    }

    /** A service node on this PostgreSQL database, with short push delays so that a drill plays out in minutes. */
    Node node(String name, TestDatabase database, Map<String, String> more) {
        Map<String, String> env = new HashMap<>();
        env.put("MM_DB_URL", database.url());
        env.put("MM_DB_USER", database.user());
        env.put("MM_SECRET_KEY", SECRET_KEY);
        env.put("MM_BOOTSTRAP_ADMIN_TOKEN", ADMIN);
        env.put("MM_SIMULATOR_ENABLED", "false");
        env.put("MM_STATUS_REFRESH_ENABLED", "false");
        env.put("MM_ACCOUNTS_PUSH_RETRY_INITIAL_DELAY_MS", "500");
        env.put("MM_ACCOUNTS_PUSH_RETRY_MAX_DELAY_MS", "5000");
        env.put("MM_ACCOUNTS_PUSH_LEASE_SECONDS", "15");
        env.put("MM_LOG_LEVEL", "WARN");
        env.putAll(more);
        return new Node(name, env);
    }

    private Process launch(String name, Map<String, String> env, String... arguments) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the drills run after the package phase"
                    + " (./mvnw -B -Pdrills verify)");
        }
        Files.createDirectories(log(name).getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    static Path log(String name) {
        return Path.of("target", "drills", name + ".log");
    }

    @Override
    public void close() {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
