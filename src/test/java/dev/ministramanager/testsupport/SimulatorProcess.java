package dev.ministramanager.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Ministra simulator in a child JVM (for benchmarks: its 100,000 rows must not count against the service's heap),
 * started on a free port with the API user {@code ministra}, driven through its control API ({@code /_sim/...}).
 */
public final class SimulatorProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final String base;

    private SimulatorProcess(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    /** Starts the simulator (its output in {@code log}) and waits until it answers. */
    public static SimulatorProcess start(String log) throws IOException, InterruptedException {
        int port = ServiceUnderTest.freePort();
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.ministramanager.simulator.SimulatorMain")
                .redirectErrorStream(true).redirectOutput(new File(log));
        launch.environment().put("MM_SIM_PORT", String.valueOf(port));
        launch.environment().put("MM_SIM_API_USER", "ministra");
        launch.environment().put("MM_SIM_API_PASSWORD", "ministra-secret");
        SimulatorProcess simulator = new SimulatorProcess(launch.start(), "http://127.0.0.1:" + port);
        try {
            simulator.awaitStarted(log);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            simulator.close();
            throw e;
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

    /** A POST to the control API; anything but 200 fails. */
    public void control(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new AssertionError(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private void awaitStarted(String log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the simulator process ended (see " + log + ")");
            }
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_sim")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the simulator did not start within 30 s (see " + log + ")");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
