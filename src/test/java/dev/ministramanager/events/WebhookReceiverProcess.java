package dev.ministramanager.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.ServiceUnderTest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A webhook receiver in a JVM of its own, for the benchmark whose CPU figure must be the service's alone. Its
 * control port answers {@code GET /count} (requests received) and {@code GET /received} (one line per request: the
 * webhook-id, the event's subject, its time and the arrival, both in epoch milliseconds).
 */
final class WebhookReceiverProcess implements AutoCloseable {

    /** One request the receiver got: its event's time and its arrival. */
    record Arrival(String id, String subject, long occurredMillis, long arrivedMillis) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final String control;

    private WebhookReceiverProcess(Process process, int port, int controlPort) {
        this.process = process;
        this.port = port;
        this.control = "http://127.0.0.1:" + controlPort;
    }

    /** Starts it with its output in {@code log}, and waits until its control port answers (30 s at most). */
    static WebhookReceiverProcess start(Path log) throws IOException, InterruptedException {
        int port = ServiceUnderTest.freePort();
        int controlPort = ServiceUnderTest.freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), WebhookReceiverProcess.class.getName(),
                String.valueOf(port), String.valueOf(controlPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WebhookReceiverProcess receiver = new WebhookReceiverProcess(process, port, controlPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                receiver.count();
                return receiver;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    receiver.close();
                    throw new IllegalStateException("The receiver did not start; see " + log, notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/billing";
    }

    int count() throws IOException, InterruptedException {
        return Integer.parseInt(get("/count").trim());
    }

    List<Arrival> received() throws IOException, InterruptedException {
        List<Arrival> arrivals = new ArrayList<>();
        for (String line : get("/received").split("\n")) {
            if (!line.isEmpty()) {
                String[] fields = line.split("\t");
                arrivals.add(new Arrival(fields[0], fields[1], Long.parseLong(fields[2]), Long.parseLong(fields[3])));
            }
        }
        return arrivals;
    }

    /** The CPU time the receiver's process has used so far. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow();
    }

    private String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(control + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * The receiving JVM: {@code <port> <control port>}. A lean receiver, as a billing system's would be on a machine
     * of its own: one Vert.x event loop for both ports, each request's webhook-id, subject, event time and arrival
     * kept (no body, no parsed tree: a receiver holding every request whole spent 0.15-0.2 ms of these two cores per
     * event, mostly its own allocation and collection), answered 204.
     */
    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        // touched only on the one event loop
        List<Arrival> arrivals = new ArrayList<>();
        vertx.createHttpServer().requestHandler(request -> {
            String id = request.getHeader("webhook-id");
            request.body().onSuccess(body -> {
                long arrived = System.currentTimeMillis();
                try {
                    JsonNode event = JSON.readTree(body.getBytes());
                    arrivals.add(new Arrival(id, event.path("subject").asText(),
                            Instant.parse(event.path("timestamp").asText()).toEpochMilli(), arrived));
                    request.response().setStatusCode(204).end();
                } catch (IOException | java.time.format.DateTimeParseException notAnEvent) {
                    request.response().setStatusCode(400).end();
                }
            });
        }).listen(Integer.parseInt(args[0]), "127.0.0.1");
        vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/count")) {
                request.response().end(String.valueOf(arrivals.size()));
                return;
            }
            StringBuilder lines = new StringBuilder();
            for (Arrival arrival : arrivals) {
                lines.append(arrival.id()).append('\t').append(arrival.subject()).append('\t')
                        .append(arrival.occurredMillis()).append('\t').append(arrival.arrivedMillis()).append('\n');
            }
            request.response().end(lines.toString());
        }).listen(Integer.parseInt(args[1]), "127.0.0.1");
    }
}
