package dev.ministramanager.operations;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static dev.ministramanager.testsupport.Eventually.pause;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.Application;
import dev.ministramanager.testsupport.ServiceUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 201 is durable on the embedded default: the service runs as a child process with its default configuration (H2
 * file database and secret key under ./data of its working directory, the embedded simulator), is killed with
 * SIGKILL right after a 201, some seconds after, and in the middle of a burst of creates, and after each restart
 * every account it answered 201 for is there.
 *
 * <p>Not on {@code ServiceFixture}: the fixture runs the service in the test's JVM, and a SIGKILL (no shutdown hook,
 * no orderly close of the H2 file) needs the service in a process of its own, started as README's first command
 * starts it, with its default configuration rather than the fixture's database and properties.
 */
class CrashDurabilityTest {

    private static final String TOKEN = "crash-durability-admin-token-4711";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Child> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(child -> child.process().destroyForcibly());
    }

    @Test
    @Timeout(300)
    void everyAccountAnswered201SurvivesAKill(@TempDir Path workingDirectory) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        Child service = start(workingDirectory, "1");
        awaitDemoPlans(service);
        for (int i = 0; i < 5; i++) {
            assertThat(create(service, "right" + i, acknowledged)).isEqualTo(201);
        }
        System.out.println(Instant.now() + " kill after " + acknowledged.size());
        service.kill();

        service = start(workingDirectory, "2");
        assertThat(logins(service)).as("after a kill right after the last 201").containsAll(acknowledged);
        for (int i = 0; i < 5; i++) {
            assertThat(create(service, "later" + i, acknowledged)).isEqualTo(201);
        }
        // time is the point here: the kill comes after the database's background writer has had its seconds
        pause(2000);
        System.out.println(Instant.now() + " kill after " + acknowledged.size());
        service.kill();

        service = start(workingDirectory, "3");
        assertThat(logins(service)).as("after a kill two seconds after the last 201").containsAll(acknowledged);
        int before = acknowledged.size();
        List<String> refused = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        Child bursting = service;
        for (int client = 0; client < 4; client++) {
            int c = client;
            clients.execute(() -> {
                for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
                    String login = "burst" + c + "x" + i;
                    try {
                        int status = create(bursting, login, acknowledged);
                        if (status != 201) {
                            refused.add(login + ": HTTP " + status);
                        }
                    } catch (IOException killed) {
                        return;
                    }
                }
            });
        }
        eventually("30 creates answered in the burst", Duration.ofSeconds(60),
                () -> acknowledged.size() >= before + 30);
        System.out.println(Instant.now() + " kill after " + acknowledged.size());
        service.kill();
        clients.shutdownNow();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).as("creates refused before the kill").isEmpty();
        assertThat(acknowledged.size()).as("creates answered before the kill").isGreaterThanOrEqualTo(before + 30);

        service = start(workingDirectory, "4");
        try {
            Set<String> found = logins(service);
            assertThat(found).as("after a kill in the middle of a burst").containsAll(acknowledged);
        } finally {
            service.stop();
        }
    }

    /** The first start syncs the demo company's plans in the background, after it is ready. */
    private void awaitDemoPlans(Child service) {
        eventually("the demo plans synced", Duration.ofSeconds(60),
                () -> send(HttpRequest.newBuilder(service.api("/tariffs?company=1"))).body().contains("\"basic\""));
    }

    private Child start(Path workingDirectory, String name) throws Exception {
        Child child = Child.start(workingDirectory, name);
        started.add(child);
        return child;
    }

    /** Creates the account; a 201 goes into acknowledged before anything else happens. */
    private int create(Child service, String login, Set<String> acknowledged) throws IOException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(service.api("/accounts?company=1"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + login + "\",\"tariff\":\"basic\"}")));
        if (answer.statusCode() == 201) {
            acknowledged.add(login);
        }
        return answer.statusCode();
    }

    private Set<String> logins(Child service) throws IOException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(service.api("/accounts?company=1&limit=500")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Set<String> logins = new HashSet<>();
        for (JsonNode item : JSON.readTree(answer.body()).get("items")) {
            logins.add(item.get("login").asText());
        }
        return logins;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The service as README's first command runs it, in its own JVM, with this test's class path. */
    private record Child(Process process, int httpPort, Path log) {

        static Child start(Path workingDirectory, String name) throws Exception {
            int httpPort = ServiceUnderTest.freePort();
            Path log = workingDirectory.resolve("service-" + name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dmm.http.port=" + httpPort,
                    "-Dmm.management.port=" + ServiceUnderTest.freePort(),
                    "-Dmm.sim.port=" + ServiceUnderTest.freePort(),
                    "-Dmm.bootstrap.admin-token=" + TOKEN,
                    Application.class.getName()));
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Child child = new Child(process, httpPort, log);
            child.awaitReady();
            return child;
        }

        URI api(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + "/api/v1" + path);
        }

        private void awaitReady() throws IOException {
            try {
                eventually("the service ready within 90 s", Duration.ofSeconds(90), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The service exited with " + process.exitValue() + ":\n"
                                + Files.readString(log));
                    }
                    return Files.readString(log).contains("ministra-manager ready in");
                });
            } catch (AssertionError notReady) {
                process.destroyForcibly();
                throw new AssertionError(notReady.getMessage() + ":\n" + Files.readString(log), notReady);
            }
            System.out.println(Instant.now() + " " + log.getFileName() + ": " + Files.readAllLines(log).stream()
                    .filter(line -> line.contains("ready in")).findFirst().orElseThrow());
        }

        /** SIGKILL on Linux: no shutdown hook, no orderly close of the database. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
