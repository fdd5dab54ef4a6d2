package dev.ministramanager.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The standalone Ministra simulator in a JVM of its own, started from the test classpath, for benchmarks whose
 * figures must be the service's alone (its CPU time, its heap). Default API credentials (ministra /
 * ministra-secret); driven through its control API ({@code /_sim/...}).
 */
public final class SimulatorProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final String base;

    private SimulatorProcess(Process process, int port) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts it with its output in {@code log}, and waits until its control API answers (30 s at most). */
    public static SimulatorProcess start(Path log) throws IOException, InterruptedException {
        int port = ServiceUnderTest.freePort();
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.ministramanager.simulator.SimulatorMain")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        launch.environment().put("MM_SIM_PORT", String.valueOf(port));
        SimulatorProcess simulator = new SimulatorProcess(launch.start(), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!simulator.answers()) {
            if (!simulator.process.isAlive() || System.nanoTime() > deadline) {
                simulator.close();
                throw new IllegalStateException("The simulator did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return simulator;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String base() {
        return base;
    }

    /** The Ministra API base URL a company is given. */
    public String apiBaseUrl() {
        return base + "/stalker_portal/api/v1/";
    }

    /** A control API call, e.g. {@code control("POST", "faults", "{\"kind\":\"latency\",\"delay_ms\":20}")}. */
    public String control(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_sim/" + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(method + " /_sim/" + path + " answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        return answer.body();
    }

    /** The CPU time the simulator's process has used so far. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow();
    }

    private boolean answers() {
        try {
            control("GET", "faults", null);
            return true;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
