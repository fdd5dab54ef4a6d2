package dev.ministramanager.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver of webhooks, as a billing system runs one: it records every request (headers, body, arrival)
 * and answers what the test tells it to. It can go down (its port refuses connections) and come back on the same
 * port. Signatures are verified here independently of the service's code, as the README's receivers do.
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(String path, String id, String timestamp, String signature, String body, JsonNode json, Instant at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final java.util.Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<Received, Integer> answer = request -> 204;
    private volatile long delayMillis;
    private volatile String retryAfter;
    private volatile String location;
    private HttpServer server;

    private WebhookReceiver(int port) {
        this.port = port;
    }

    static WebhookReceiver start() {
        return on(dev.ministramanager.testsupport.ServiceUnderTest.freePort());
    }

    /** A receiver up on {@code port}. */
    static WebhookReceiver on(int port) {
        WebhookReceiver receiver = new WebhookReceiver(port);
        receiver.up();
        return receiver;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/billing";
    }

    void answer(Function<Received, Integer> newAnswer) {
        this.answer = newAnswer;
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    void retryAfter(String value) {
        this.retryAfter = value;
    }

    void location(String value) {
        this.location = value;
    }

    synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            // in flight until the answer starts going out: the sender may send its next request as soon as it has
            // read this answer, before this thread gets back from writing it
            boolean answering = false;
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Received request = new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, JSON.readTree(body),
                        Instant.now());
                received.add(request);
                count.incrementAndGet();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int status = answer.apply(request);
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                byte[] reply = ("{\"received\":\"" + request.id() + "\"}").getBytes(StandardCharsets.UTF_8);
                answering = true;
                inFlight.decrementAndGet();
                if (status == 204) {
                    exchange.sendResponseHeaders(status, -1);
                } else {
                    exchange.sendResponseHeaders(status, reply.length);
                    exchange.getResponseBody().write(reply);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!answering) {
                    inFlight.decrementAndGet();
                }
                exchange.close();
            }
        });
        server.start();
    }

    /** Connections are refused until {@link #up()}. */
    synchronized void down() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** How many requests arrived (cheaper than a copy of them all, for polling). */
    int count() {
        return count.get();
    }

    List<Received> receivedOf(String type) {
        return received.stream().filter(r -> r.json().path("type").asText().equals(type)).toList();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    /** Standard Webhooks verification: any v1 signature of the header made with this secret over id.timestamp.body. */
    static boolean verifies(Received request, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            byte[] expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
            for (String signature : request.signature().split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            down();
        } catch (RuntimeException alreadyDown) {
            // stopped by the test
        }
    }
}
