package dev.ministramanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.testsupport.BenchmarkFigures;
import dev.ministramanager.testsupport.ServiceUnderTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command as an operator runs it (the runner jar with its class-data-sharing archive, the embedded
 * default: H2 under ./data and the built-in simulator), in a working directory of its own: the start-up time to the
 * log line {@code ready in N ms} with a fresh ./data and then with the existing one, the resident memory of the idle
 * process (from /proc) after a quiet 20 s, and REST reads per second and their p99 at a fixed concurrency against that
 * process. Needs the built jar: {@code ./mvnw -B -Pbenchmark verify -Dtest=StartupBenchmark}.
 */
@Tag("benchmark")
class StartupBenchmark {

    private static final String NAME = "StartupBenchmark";
    private static final Path JAR = Path.of("target", "ministra-manager-runner.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "ministra-manager.jsa").toAbsolutePath();
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");
    private static final String TOKEN = "startup-benchmark-admin-token-7f3a";
    private static final int STARTS_ON_EXISTING_DATA = 3;
    private static final int CONNECTIONS = 16;
    private static final Duration READ_WARM_UP = Duration.ofSeconds(10);
    private static final Duration READ_MEASURED = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void startUpIdleMemoryAndReads(@TempDir Path workingDirectory) throws Exception {
        assertThat(JAR).as("the runner jar: run the benchmark suite with verify, after package").exists();
        assertThat(ARCHIVE).as("the class-data-sharing archive written by package").exists();

        long fresh;
        try (Node node = Node.start(workingDirectory)) {
            fresh = node.readyMillis;
        }
        BenchmarkFigures.record(NAME, "start-up to ready, fresh ./data", fresh, "ms");

        long[] existing = new long[STARTS_ON_EXISTING_DATA];
        for (int i = 0; i < existing.length - 1; i++) {
            try (Node node = Node.start(workingDirectory)) {
                existing[i] = node.readyMillis;
            }
        }
        try (Node node = Node.start(workingDirectory)) {
            existing[existing.length - 1] = node.readyMillis;
            Arrays.sort(existing);
            BenchmarkFigures.record(NAME, "start-up to ready, existing ./data (median of %d)"
                    .formatted(STARTS_ON_EXISTING_DATA), existing[existing.length / 2], "ms");

            Thread.sleep(QUIET.toMillis());
            BenchmarkFigures.record(NAME, "idle RSS after start-up and a quiet %d s".formatted(QUIET.toSeconds()),
                    node.residentKilobytes() / 1024.0, "MB");

            reads(node);
        }
    }

    /** GET of one account by login, {@link #CONNECTIONS} keep-alive connections with one request in flight each. */
    private static void reads(Node node) throws Exception {
        JsonNode companies = node.call("GET", "/companies", null);
        JsonNode items = companies.has("items") ? companies.get("items") : companies;
        long company = items.get(0).get("id").asLong();
        node.call("POST", "/accounts?company=" + company,
                "{\"login\":\"reader1\",\"password\":\"Reader-Pw-1\",\"fullName\":\"Read Often\"}");
        String path = "/api/v1/accounts/reader1?company=" + company;

        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            io.vertx.core.http.HttpClient client = clientVertx.createHttpClient(new HttpClientOptions()
                            .setKeepAlive(true).setTcpNoDelay(true).setDefaultHost("127.0.0.1")
                            .setDefaultPort(node.httpPort), new PoolOptions().setHttp1MaxSize(CONNECTIONS));
            closedLoop(client, path, READ_WARM_UP);
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            ReadRun run = closedLoop(client, path, READ_MEASURED);
            long[] latencies = run.latencies();
            double perSecond = latencies.length / (READ_MEASURED.toNanos() / 1e9);
            double p99 = latencies[Math.max(0, (int) Math.ceil(0.99 * latencies.length) - 1)] / 1e6;
            System.out.printf(Locale.ROOT, "%s: GET %s: %,d reads in %d s over %d connections = %,.0f /s;"
                            + " p50 %.2f ms, p99 %.2f ms; errors %d; load %.1f before%n", NAME, path,
                    latencies.length, READ_MEASURED.toSeconds(), CONNECTIONS, perSecond,
                    latencies[latencies.length / 2] / 1e6, p99, run.errors.get(), loadBefore);
            assertThat(run.errors.get()).as("reads not answered 200").isZero();
            BenchmarkFigures.record(NAME, "REST reads per second, one account by login, %d connections"
                    .formatted(CONNECTIONS), perSecond, "/s");
            BenchmarkFigures.record(NAME, "REST read p99 latency, %d connections".formatted(CONNECTIONS), p99, "ms");
        } finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static ReadRun closedLoop(io.vertx.core.http.HttpClient client, String path, Duration length)
            throws Exception {
        ReadRun run = new ReadRun();
        long until = System.nanoTime() + length.toNanos();
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Promise<Void> done = Promise.promise();
            loops.add(done.future());
            readNext(client, path, until, run, done);
        }
        Future.all(loops).toCompletionStage().toCompletableFuture().get(length.toSeconds() + 60, TimeUnit.SECONDS);
        return run;
    }

    private static void readNext(io.vertx.core.http.HttpClient client, String path, long until, ReadRun run,
                                 Promise<Void> done) {
        long started = System.nanoTime();
        if (started >= until) {
            done.tryComplete();
            return;
        }
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path)
                        .putHeader("Authorization", "Bearer " + TOKEN))
                .compose(request -> request.send().compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        run.errors.incrementAndGet();
                    }
                    return body;
                })))
                .onComplete(answer -> {
                    if (answer.failed()) {
                        run.errors.incrementAndGet();
                    }
                    run.add(System.nanoTime() - started);
                    readNext(client, path, until, run, done);
                });
    }

    /** The latencies of one closed-loop run (appended from the client's one event loop). */
    private static final class ReadRun {
        private long[] latencies = new long[1 << 16];
        private int count;
        final AtomicInteger errors = new AtomicInteger();

        synchronized void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, 2 * count);
            }
            latencies[count++] = nanos;
        }

        synchronized long[] latencies() {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** The service started from the jar in its own JVM, as README's first command starts it. */
    private static final class Node implements AutoCloseable {
        final Process process;
        final int httpPort;
        final long readyMillis;

        private Node(Process process, int httpPort, long readyMillis) {
            this.process = process;
            this.httpPort = httpPort;
            this.readyMillis = readyMillis;
        }

        static Node start(Path workingDirectory) throws IOException, InterruptedException {
            int httpPort = ServiceUnderTest.freePort();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR.toString())
                    .directory(workingDirectory.toFile()).redirectErrorStream(true);
            builder.environment().put("MM_HTTP_PORT", String.valueOf(httpPort));
            builder.environment().put("MM_MANAGEMENT_PORT", String.valueOf(ServiceUnderTest.freePort()));
            builder.environment().put("MM_SIM_PORT", String.valueOf(ServiceUnderTest.freePort()));
            builder.environment().put("MM_BOOTSTRAP_ADMIN_TOKEN", TOKEN);
            Process process = builder.start();
            CompletableFuture<Long> ready = new CompletableFuture<>();
            AtomicBoolean sawReady = new AtomicBoolean();
            Path log = Path.of("target", "startup-benchmark.log");
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                        Matcher matcher = READY.matcher(line);
                        if (!sawReady.get() && matcher.find()) {
                            sawReady.set(true);
                            ready.complete(Long.parseLong(matcher.group(1)));
                        }
                    }
                    ready.completeExceptionally(new AssertionError("the service exited before it was ready; see "
                            + log));
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                }
            }, "startup-benchmark-log");
            reader.setDaemon(true);
            reader.start();
            try {
                return new Node(process, httpPort, ready.get(2, TimeUnit.MINUTES));
            } catch (Exception e) {
                process.destroyForcibly();
                throw new AssertionError("the service did not log 'ready in N ms'; see " + log, e);
            }
        }

        long residentKilobytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/" + process.pid() + "/status");
        }

        JsonNode call(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1" + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN);
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isLessThan(300);
            return JSON.readTree(answer.body());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
