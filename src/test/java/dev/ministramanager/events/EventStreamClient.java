package dev.ministramanager.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A server-sent events client as a console or script uses one: reads the stream's lines as they arrive. */
final class EventStreamClient implements AutoCloseable {

    /** One SSE frame: its id, event name and data (null members for a comment). */
    record Frame(String id, String event, String data, String comment) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final CountDownLatch ended = new CountDownLatch(1);

    private EventStreamClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static EventStreamClient open(URI uri, String token, String lastEventId) throws Exception {
        return lastEventId == null ? openWith(uri, "Authorization", "Bearer " + token)
                : openWith(uri, "Authorization", "Bearer " + token, "Last-Event-ID", lastEventId);
    }

    /** Opened with these request headers (name, value, name, value ...), e.g. the console's session cookie. */
    static EventStreamClient openWith(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build().send(request.GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
        return new EventStreamClient(response);
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (event != null || data.length() > 0) {
                        frames.add(new Frame(id, event, data.toString(), null));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    frames.add(new Frame(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
        ended.countDown();
    }

    /** Whether the server ended the stream within this time. */
    boolean endedWithin(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next frame that is an event (comments are collected apart); fails after the timeout. */
    Frame nextEvent(Duration within, List<Frame> comments) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Frame frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("No event within " + within);
            }
            if (frame.comment() == null) {
                return frame;
            }
            comments.add(frame);
        }
    }

    List<Frame> drain() {
        List<Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
