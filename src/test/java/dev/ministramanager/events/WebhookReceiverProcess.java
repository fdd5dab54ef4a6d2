package dev.ministramanager.events;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.ministramanager.testsupport.ServiceUnderTest;

/**
 * A {@link WebhookReceiver} in a JVM of its own, for the benchmark whose CPU figure must be the service's alone. Its
 * control port answers {@code GET /count} (requests received) and {@code GET /received} (one line per request: the
 * webhook-id, the event's subject, its time and the arrival, both in epoch milliseconds).
 */
final class WebhookReceiverProcess implements AutoCloseable {

    /** One request the receiver got: its event's time and its arrival. */
    record Arrival(String id, String subject, long occurredMillis, long arrivedMillis) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    /** The receiving JVM: {@code <port> <control port>}. */
    public static void main(String[] args) throws IOException {
        WebhookReceiver receiver = WebhookReceiver.on(Integer.parseInt(args[0]));
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 16);
        control.createContext("/count", exchange -> answer(exchange, String.valueOf(receiver.count())));
        control.createContext("/received", exchange -> {
            StringBuilder lines = new StringBuilder();
            for (WebhookReceiver.Received request : receiver.received()) {
                lines.append(request.id()).append('\t').append(request.json().path("subject").asText()).append('\t')
                        .append(Instant.parse(request.json().get("timestamp").asText()).toEpochMilli()).append('\t')
                        .append(request.at().toEpochMilli()).append('\n');
            }
            answer(exchange, lines.toString());
        });
        control.start();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
