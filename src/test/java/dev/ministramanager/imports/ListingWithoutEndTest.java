package dev.ministramanager.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server at the Ministra URL listing accounts without end: rows as fast as they go, or one row that never ends.
 * A listing is read row by row as it arrives (an import's, a reconciliation's, a fleet refresh's batches); it is
 * bounded in time (here the import's listing timeout, 3 s), in rows (the import's 100,000 accounts) and each row in
 * bytes (mm.ministra.max-answer-bytes, here 1 MiB). The dry run answers with the failure in seconds, and the
 * connection is dropped, not drained: before, closing an answer read in part read the rest of it, for ever.
 */
@OnBothDatabases
class ListingWithoutEndTest {

    private static final String ADMIN = ImportFixture.ADMIN;
    /** 200 listed accounts, each followed by a comma: the listing goes on. */
    private static final byte[] ROWS = ("{\"login\":\"endless\",\"account_number\":\"1\",\"stb_mac\":"
            + "\"00:1A:79:00:00:01\",\"tariff_plan\":\"basic\",\"status\":\"1\"},").repeat(200)
            .getBytes(StandardCharsets.US_ASCII);
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static ImportFixture fixture;

    @BeforeAll
    static void start() {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, Map.of("mm.status.refresh-enabled", "false",
                "mm.imports.ministra-listing-timeout", "3s", "mm.imports.ministra-max-accounts", "100000",
                "mm.ministra.max-answer-bytes", "1048576"));
        fixture = new ImportFixture(service, database);
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @Test
    void rowsArrivingWithoutEndAreATimeoutAndTheConnectionIsDropped() throws Exception {
        // some 10,000 rows a second: the listing's 3 s pass long before its 100,000 accounts
        try (ListingServer listing = ListingServer.start(out -> {
            out.write(ROWS);
            pause(20);
        })) {
            long company = fixture.company("Endless listing", listing.url());
            long started = System.nanoTime();
            ApiAnswer dry = service.post("/companies/" + company + "/imports/ministra?dryRun=true", ADMIN, null);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(dry.status()).as(dry.toString()).isEqualTo(504);
            assertThat(dry.body()).contains("took longer than PT3S");
            assertThat(tookMillis).isGreaterThanOrEqualTo(3_000).isLessThan(15_000);
            assertThat(listing.awaitDropped()).as("the connection dropped, not drained").isTrue();
        }
    }

    @Test
    void rowsWithoutEndPastTheLimitAreRefusedAndTheConnectionIsDropped() throws Exception {
        try (ListingServer listing = ListingServer.start(out -> out.write(ROWS))) {
            long company = fixture.company("Longest listing", listing.url());
            ApiAnswer dry = service.post("/companies/" + company + "/imports/ministra?dryRun=true", ADMIN, null);

            assertThat(dry.status()).as(dry.toString()).isEqualTo(422);
            assertThat(dry.body()).contains("more than 100000 accounts (mm.imports.ministra-max-accounts)");
            assertThat(listing.awaitDropped()).as("the connection dropped, not drained").isTrue();
        }
    }

    @Test
    void aRowWithoutEndIsAGarbledAnswerReadUpToItsBound() throws Exception {
        byte[] letters = "a".repeat(65_536).getBytes(StandardCharsets.US_ASCII);
        try (ListingServer listing = ListingServer.start(new ListingServer.Rest() {
            private boolean begun;

            @Override
            public void write(OutputStream out) throws IOException {
                if (!begun) {
                    begun = true;
                    out.write("{\"login\":\"".getBytes(StandardCharsets.US_ASCII));
                }
                out.write(letters);
            }
        })) {
            long company = fixture.company("Endless row", listing.url());
            ApiAnswer dry = service.post("/companies/" + company + "/imports/ministra?dryRun=true", ADMIN, null);

            assertThat(dry.status()).as(dry.toString()).isEqualTo(503);
            assertThat(dry.body()).contains("longer than 1048576 bytes");
            assertThat(listing.awaitDropped()).as("the connection dropped, not drained").isTrue();
            assertThat(listing.sent()).isGreaterThanOrEqualTo(1L << 20).isLessThan(64L << 20);
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Answers 200 with the start of an account listing, then what {@code rest} writes, again and again. */
    private static final class ListingServer implements AutoCloseable {

        interface Rest {
            void write(OutputStream out) throws IOException;
        }

        private final HttpServer server;
        private final AtomicLong sent = new AtomicLong();
        private final CountDownLatch dropped = new CountDownLatch(1);

        private ListingServer(Rest rest) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = new CountingStream(exchange.getResponseBody(), sent)) {
                    out.write("{\"status\":\"OK\",\"results\":[".getBytes(StandardCharsets.US_ASCII));
                    // a minute at most, should the reader never go away
                    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                    while (System.nanoTime() < until) {
                        rest.write(out);
                    }
                } catch (IOException goneAway) {
                    dropped.countDown();
                }
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        static ListingServer start(Rest rest) throws IOException {
            return new ListingServer(rest);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/stalker_portal/api/v1/";
        }

        long sent() {
            return sent.get();
        }

        boolean awaitDropped() throws InterruptedException {
            return dropped.await(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {

        private final AtomicLong count;

        CountingStream(OutputStream out, AtomicLong count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count.addAndGet(length);
        }
    }
}
