package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static dev.ministramanager.events.EventsFixture.awaitCondition;
import static dev.ministramanager.events.EventsFixture.count;
import static dev.ministramanager.events.EventsFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import java.util.zip.GZIPOutputStream;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.CapturedLogs;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks end to end on PostgreSQL: the whole service over HTTP, accounts pushed to the simulator, and real HTTP
 * receivers (a JDK HttpServer each) that record and verify what arrives. (Over 300 lines: one service for the class,
 * one test for each property the Proof lists.)
 */
@ExtendWith(SimulatorExtension.class)
class WebhooksTest {

    private static CapturedLogs logs;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start() {
        logs = CapturedLogs.install();
        database = TestDatabase.postgres();
        service = ServiceUnderTest.start(database, EventsFixture.fast(Map.of(
                "mm.webhooks.per-endpoint-concurrency", "8",
                "mm.webhooks.disable-after-seconds", "3",
                "mm.tariffs.sync-attempts", "1")));
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
        if (logs != null) {
            String logged = logs.text();
            logs.close();
            for (String secret : SECRETS) {
                assertThat(logged).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
            }
        }
    }

    @Test
    void signedEventsOfEachAccountArriveInOrderUnderEightConcurrentDeliveries(MinistraSimulator ministra) {
        int accounts = 24;
        long company = EventsFixture.createCompany(service, ministra, "Ordered ISP");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // slow enough that deliveries wait for the endpoint's 8 slots
            receiver.delay(100);
            JsonNode webhook = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            String secret = remember(webhook.get("secret").asText());
            long id = webhook.get("id").asLong();
            // shown once: never again, and not stored in clear
            assertThat(service.get("/webhooks/" + id, ADMIN).body()).doesNotContain(secret).doesNotContain("secret\"");
            assertThat(service.get("/webhooks?company=" + company, ADMIN).body()).doesNotContain(secret);
            assertThat(rows(database, "SELECT secret_enc FROM webhook WHERE id = ?", id).get(0).get(0).toString())
                    .doesNotContain(secret.substring("whsec_".length()));

            // more accounts than the endpoint's 8 slots: their deliveries are claimed ahead and wait for a slot
            for (int a = 0; a < accounts; a++) {
                EventsFixture.createAccount(service, company, "ord" + a);
            }
            for (int change = 1; change <= 4; change++) {
                for (int a = 0; a < accounts; a++) {
                    ApiAnswer changed = service.patch("/accounts/ord" + a + "?company=" + company, ADMIN,
                            "{\"fullName\":\"Name " + change + "\"}");
                    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                }
            }
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM account_push WHERE company_id = ?"
                    + " AND state <> 'synced'", company) == 0, "every account synced");
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ?"
                    + " AND state <> 'delivered'", id) == 0, "every delivery delivered");

            Map<String, Long> sequence = new HashMap<>();
            for (List<Object> row : rows(database, "SELECT event_id, seq FROM event_outbox WHERE company_id = ?"
                    + " AND type LIKE 'account.%'", company)) {
                sequence.put((String) row.get(0), ((Number) row.get(1)).longValue());
            }
            List<WebhookReceiver.Received> received = receiver.received();
            // no gap: every event of the company's accounts arrived, each once (no answer was lost)
            assertThat(received.stream().map(WebhookReceiver.Received::id).toList())
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sequence.keySet());
            assertThat(received).hasSizeGreaterThanOrEqualTo(accounts * 5 + accounts);
            Map<String, List<Long>> arrivalsBySubject = new HashMap<>();
            for (WebhookReceiver.Received request : received) {
                assertThat(WebhookReceiver.verifies(request, secret)).as(request.body()).isTrue();
                assertThat(request.json().get("id").asText()).isEqualTo(request.id());
                assertThat(Math.abs(Long.parseLong(request.timestamp()) - Instant.now().getEpochSecond()))
                        .isLessThan(300);
                assertThat(request.json().get("companyId").asLong()).isEqualTo(company);
                assertThat(request.body()).doesNotContainIgnoringCase("Sub-Pw-");
                assertThat(request.json().get("data").has("password")).isFalse();
                arrivalsBySubject.computeIfAbsent(request.json().get("subject").asText(), s -> new ArrayList<>())
                        .add(sequence.get(request.id()));
            }
            assertThat(arrivalsBySubject).hasSize(accounts);
            arrivalsBySubject.forEach((subject, arrivals) -> assertThat(arrivals).as(subject).isSorted());
            assertThat(receiver.receivedOf("account.updated").get(0).json().at("/data/fullName/after").asText())
                    .startsWith("Name ");
            // deliveries of different accounts went out side by side, never more than 8 at once
            assertThat(receiver.maxInFlight()).isBetween(2, 8);
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingAfterItReturns(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Outage ISP");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode webhook = EventsFixture.createWebhook(service, company, receiver.url(),
                    "[\"account.created\",\"account.updated\"]");
            long id = webhook.get("id").asLong();
            EventsFixture.createAccount(service, company, "before-outage");
            // its answer recorded, not only received: an answer lost to the outage would be a (legitimate) duplicate
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'delivered'", id) == 1, "the first event delivered");

            receiver.down();
            for (int a = 0; a < 5; a++) {
                EventsFixture.createAccount(service, company, "during-outage" + a);
                service.patch("/accounts/during-outage" + a + "?company=" + company, ADMIN, "{\"phone\":\"+100" + a
                        + "\"}");
            }
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ?"
                    + " AND outcome = 'retrying'", id) >= 10, "failed attempts while the receiver is down");
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND state ="
                    + " 'pending' AND attempts > 0", id)).isPositive();
            receiver.up();

            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ?"
                    + " AND state <> 'delivered'", id) == 0, "everything delivered after the outage");
            Set<String> expected = rows(database, "SELECT event_id FROM event_outbox WHERE company_id = ? AND type IN"
                    + " ('account.created', 'account.updated')", company).stream().map(row -> (String) row.get(0))
                    .collect(Collectors.toSet());
            assertThat(expected).hasSize(11);
            List<String> arrived = receiver.received().stream().map(WebhookReceiver.Received::id).toList();
            assertThat(new HashSet<>(arrived)).isEqualTo(expected);
            // a refused connection never reached the receiver: nothing arrived twice
            assertThat(arrived).doesNotHaveDuplicates();
            assertThat(service.get("/webhooks/" + id, ADMIN).json().get("enabled").asBoolean()).isTrue();

            JsonNode attempts = service.get("/webhooks/" + id + "/deliveries?limit=500", ADMIN).json().get("items");
            List<String> outcomes = new ArrayList<>();
            attempts.forEach(attempt -> outcomes.add(attempt.get("outcome").asText()));
            assertThat(outcomes).contains("retrying", "delivered");
            JsonNode failed = findFirst(attempts, "retrying");
            assertThat(failed.get("error").asText()).isNotBlank();
            assertThat(failed.get("statusCode").isNull()).isTrue();
            assertThat(findFirst(attempts, "delivered").get("statusCode").asInt()).isEqualTo(204);
        }
    }

    @Test
    void goneOrFailingEndpointsAreDisabledWithAnEventAndAnAuditEntry(MinistraSimulator ministra) throws Exception {
        long company = EventsFixture.createCompany(service, ministra, "Failing ISP");
        try (WebhookReceiver gone = WebhookReceiver.start(); WebhookReceiver failing = WebhookReceiver.start();
             WebhookReceiver watcher = WebhookReceiver.start()) {
            gone.answer(request -> 410);
            failing.answer(request -> 503);
            long goneId = EventsFixture.createWebhook(service, company, gone.url(), "[\"account.created\"]")
                    .get("id").asLong();
            long failingId = EventsFixture.createWebhook(service, company, failing.url(), "[\"account.created\"]")
                    .get("id").asLong();
            EventsFixture.createWebhook(service, company, watcher.url(), "[\"webhook.disabled\"]");
            EventsFixture.createAccount(service, company, "disabler");

            awaitCondition(() -> !service.get("/webhooks/" + goneId, ADMIN).json().get("enabled").asBoolean(),
                    "the 410 endpoint disabled");
            assertThat(gone.received()).hasSize(1);
            awaitCondition(() -> !service.get("/webhooks/" + failingId, ADMIN).json().get("enabled").asBoolean(),
                    "the failing endpoint disabled after mm.webhooks.disable-after-seconds");
            // it was retried (503 is transient) until disabled, not dead-lettered
            assertThat(failing.received().size()).isGreaterThan(1);
            JsonNode disabled = service.get("/webhooks/" + failingId, ADMIN).json();
            assertThat(disabled.get("disabledReason").asText()).contains("No successful delivery").contains("503");
            assertThat(service.get("/webhooks/" + goneId, ADMIN).json().get("disabledReason").asText())
                    .contains("410");

            assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'webhook' AND action ="
                    + " 'disable' AND company_id = ?", company)).isEqualTo(2);
            awaitCondition(() -> watcher.receivedOf("webhook.disabled").size() == 2, "two webhook.disabled events");
            assertThat(watcher.received().stream().map(r -> r.json().get("subject").asText()))
                    .containsExactlyInAnyOrder(String.valueOf(goneId), String.valueOf(failingId));
            // nothing is lost: the delivery waits for the endpoint to be re-enabled
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND state ="
                    + " 'pending'", goneId)).isEqualTo(1);
            String metrics = service.send(service.request(service.management("/observe/metrics"), null).GET())
                    .body();
            assertThat(metrics).contains("mm_webhooks_disabled_endpoints").contains("mm_webhooks_outbox_lag_seconds")
                    .contains("mm_webhooks_deliveries_total{outcome=\"disabled\"");

            gone.answer(request -> 200);
            assertThat(service.patch("/webhooks/" + goneId, ADMIN, "{\"enabled\":true}").json().get("enabled")
                    .asBoolean()).isTrue();
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'delivered'", goneId) == 1, "the waiting delivery sent after re-enabling");
            assertThat(gone.received()).hasSize(2);
            assertThat(gone.received().get(1).id()).isEqualTo(gone.received().get(0).id());
        }
    }

    @Test
    void aRefusalIsADeadLetterAtOnceThatOperatorsReplayOrDiscard(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Refusing ISP");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.answer(request -> 422);
            long id = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.created\"]")
                    .get("id").asLong();
            EventsFixture.createAccount(service, company, "refused1");
            EventsFixture.createAccount(service, company, "refused2");
            awaitCondition(() -> service.get("/webhook-dead-letters?company=" + company, ADMIN).json().get("items")
                    .size() == 2, "two dead letters");
            // a 4xx other than 408/429 is not retried
            assertThat(receiver.received()).hasSize(2);
            JsonNode letters = service.get("/webhook-dead-letters?webhook=" + id, ADMIN).json().get("items");
            assertThat(letters.get(0).get("lastStatus").asInt()).isEqualTo(422);
            assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(1);

            receiver.answer(request -> 200);
            long first = letters.get(0).get("id").asLong();
            long second = letters.get(1).get("id").asLong();
            assertThat(service.post("/webhook-dead-letters/" + first + "/replay", ADMIN, null).status())
                    .isEqualTo(200);
            assertThat(service.post("/webhook-dead-letters/" + second + "/discard", ADMIN, null).status())
                    .isEqualTo(200);
            assertThat(service.post("/webhook-dead-letters/" + second + "/replay", ADMIN, null).status())
                    .isEqualTo(409);
            awaitCondition(() -> receiver.received().size() == 3, "the replayed delivery");
            assertThat(receiver.received().get(2).id()).isEqualTo(rows(database, "SELECT e.event_id FROM"
                    + " webhook_delivery d JOIN event_outbox e ON e.seq = d.event_seq WHERE d.id = ?", first).get(0)
                    .get(0));
            // successes are recorded in batches, a moment after the receiver answered
            awaitCondition(() -> rows(database, "SELECT state FROM webhook_delivery WHERE id IN (?, ?) ORDER BY id",
                    first, second).stream().map(row -> row.get(0)).toList().equals(List.of("delivered", "discarded")),
                    "the replayed delivery recorded, the discarded one left");
            assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'webhook' AND action IN"
                    + " ('replay-delivery', 'discard-delivery')")).isEqualTo(2);
        }
    }

    @Test
    void aReceiverOfAnotherCompanyNeverSeesThisCompanysEvents(MinistraSimulator ministra) {
        long ours = EventsFixture.createCompany(service, ministra, "Our ISP");
        long theirs = EventsFixture.createCompany(service, ministra, "Their ISP");
        try (WebhookReceiver ourReceiver = WebhookReceiver.start();
             WebhookReceiver theirReceiver = WebhookReceiver.start()) {
            EventsFixture.createWebhook(service, ours, ourReceiver.url(), "[\"*\"]");
            EventsFixture.createWebhook(service, theirs, theirReceiver.url(), "[\"*\"]");
            EventsFixture.createAccount(service, ours, "ours1");
            EventsFixture.createAccount(service, ours, "ours2");
            EventsFixture.createAccount(service, theirs, "theirs1");
            awaitCondition(() -> ourReceiver.receivedOf("account.synced").size() == 2
                    && theirReceiver.receivedOf("account.synced").size() == 1, "created and synced everywhere");
            assertThat(ourReceiver.received()).allSatisfy(r -> assertThat(r.json().get("companyId").asLong())
                    .isEqualTo(ours));
            assertThat(theirReceiver.received()).allSatisfy(r -> assertThat(r.json().get("companyId").asLong())
                    .isEqualTo(theirs));
            assertThat(theirReceiver.received().stream().map(r -> r.json().get("subject").asText()))
                    .containsOnly("theirs1");

            // the feed, too, shows a user only their companies' events
            String viewer = service.post("/users", ADMIN, """
                    {"username":"their-viewer","role":"viewer","companies":[%d]}""".formatted(theirs)).json()
                    .get("token").asText();
            awaitCondition(() -> service.get("/events?types=account.*", viewer).json().get("items").size() >= 2,
                    "their events readable");
            JsonNode page = service.get("/events?types=account.*", viewer).json();
            page.get("items").forEach(event -> assertThat(event.get("companyId").asLong()).isEqualTo(theirs));
            assertThat(service.get("/events?company=" + ours, viewer).status()).isEqualTo(404);
            assertThat(service.get("/events?types=account.nonsense", viewer).json().get("field").asText())
                    .isEqualTo("types");
        }
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndAPingShowsInTheDeliveries(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Rotating ISP");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode webhook = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            long id = webhook.get("id").asLong();
            String oldSecret = remember(webhook.get("secret").asText());
            ApiAnswer rotated = service.post("/webhooks/" + id + "/secret", ADMIN, null);
            assertThat(rotated.status()).isEqualTo(200);
            String newSecret = remember(rotated.json().get("secret").asText());
            assertThat(newSecret).isNotEqualTo(oldSecret).startsWith("whsec_");
            assertThat(rotated.json().get("previousSecretValidUntil").isNull()).isFalse();

            ApiAnswer ping = service.post("/webhooks/" + id + "/test", ADMIN, null);
            assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
            assertThat(ping.json().get("outcome").asText()).isEqualTo("delivered");
            assertThat(ping.json().get("statusCode").asInt()).isEqualTo(204);
            assertThat(ping.body()).doesNotContain(oldSecret).doesNotContain(newSecret);
            WebhookReceiver.Received received = receiver.received().get(0);
            assertThat(received.json().get("type").asText()).isEqualTo("ping");
            assertThat(received.signature().split(" ")).hasSize(2);
            assertThat(WebhookReceiver.verifies(received, newSecret)).isTrue();
            assertThat(WebhookReceiver.verifies(received, oldSecret)).isTrue();
            assertThat(WebhookReceiver.verifies(received, "whsec_" + java.util.Base64.getEncoder()
                    .encodeToString(new byte[24]))).isFalse();

            JsonNode attempts = service.get("/webhooks/" + id + "/deliveries", ADMIN).json().get("items");
            assertThat(attempts.get(0).get("type").asText()).isEqualTo("ping");
            assertThat(attempts.get(0).get("latencyMs").asLong()).isNotNegative();
            assertThat(attempts.get(0).get("response").isNull()).isTrue();
            assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'webhook' AND details LIKE ?",
                    "%" + newSecret.substring(6, 20) + "%")).isZero();
        }
    }

    @Test
    void aReceiverAnsweringWithoutEndCostsAnExcerptAndTheTimeoutNotTheServicesMemory(MinistraSimulator ministra)
            throws Exception {
        long company = EventsFixture.createCompany(service, ministra, "Endless ISP");
        JsonNode ping = pingAReceiverAnsweringWithoutEnd(company, false);
        assertThat(ping.get("response").asText()).hasSize(1000).matches("x+");
        // the service goes on: its workers free, an ordinary receiver still delivered to
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode webhook = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            remember(webhook.get("secret").asText());
            ApiAnswer delivered = service.post("/webhooks/" + webhook.get("id").asLong() + "/test", ADMIN, null);
            assertThat(delivered.json().get("outcome").asText()).as(delivered.toString()).isEqualTo("delivered");
        }
    }

    /**
     * The same endless answer gzip-compressed (64 KB of it in a few bytes): were it decompressed, the connection could
     * not be dropped but only drained, and an endless answer never drains (the ping waited forever). Answers are not
     * decompressed, and its excerpt, binary, is recorded.
     */
    @Test
    void aReceiverAnsweringGzipWithoutEndIsDroppedToo(MinistraSimulator ministra) throws Exception {
        long company = EventsFixture.createCompany(service, ministra, "Endless gzip ISP");
        JsonNode ping = pingAReceiverAnsweringWithoutEnd(company, true);
        // its excerpt as it came, compressed: gzip's header has NULs, shown as U+FFFD (PostgreSQL refuses a NUL)
        assertThat(ping.get("response").asText()).startsWith("\u001f\ufffd").contains("\ufffd");
    }

    /**
     * Pings a receiver answering 200 with a chunked body that never ends (64 KB at a time, as fast as it is read;
     * gzip-compressed if asked), until the connection is dropped: read whole, it would fill any heap. Answers the
     * ping, once the service dropped the connection having read less than 64 MB of it.
     */
    private JsonNode pingAReceiverAnsweringWithoutEnd(long company, boolean gzip) throws Exception {
        AtomicLong sent = new AtomicLong();
        CountDownLatch dropped = new CountDownLatch(1);
        try (ServerSocket endless = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket connection = endless.accept()) {
                    BufferedReader request = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    for (String line = request.readLine(); line != null && !line.isEmpty();) {
                        line = request.readLine();
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                            + (gzip ? "Content-Encoding: gzip\r\n" : "") + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    OutputStream chunked = new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(bytes, offset, length);
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    };
                    OutputStream body = gzip ? new GZIPOutputStream(chunked, 8192, true) : chunked;
                    byte[] xs = "x".repeat(0x10000).getBytes(StandardCharsets.ISO_8859_1);
                    while (true) {
                        body.write(xs);
                        body.flush();
                        sent.addAndGet(xs.length);
                    }
                } catch (IOException droppedByTheService) {
                    dropped.countDown();
                }
            }, "endless-receiver");
            server.setDaemon(true);
            server.start();
            JsonNode webhook = EventsFixture.createWebhook(service, company,
                    "http://127.0.0.1:" + endless.getLocalPort() + "/hooks", "[\"account.*\"]");
            remember(webhook.get("secret").asText());

            ApiAnswer ping = service.post("/webhooks/" + webhook.get("id").asLong() + "/test", ADMIN, null);
            assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
            assertThat(ping.json().get("outcome").asText()).as(ping.toString()).isEqualTo("delivered");
            assertThat(dropped.await(10, TimeUnit.SECONDS)).as("the service dropped the connection").isTrue();
            assertThat(sent.get()).as("bytes the receiver got out before the drop").isLessThan(64L << 20);
            return ping.json();
        }
    }

    @Test
    void tariffSyncsAndConnectionTestsPublishTheirEvents(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Catalogue ISP");
        ApiAnswer synced = service.post("/companies/" + company + "/tariffs/sync", ADMIN, null);
        assertThat(synced.json().get("outcome").asText()).as(synced.toString()).isEqualTo("succeeded");
        assertThat(rows(database, "SELECT subject FROM event_outbox WHERE company_id = ? AND type = 'tariff.created'"
                + " ORDER BY subject", company).stream().map(row -> row.get(0)).toList())
                .containsExactly("basic", "premium");

        // Ministra down: one "unreachable" however often it is tested, and a failed sync
        assertThat(service.patch("/companies/" + company, ADMIN,
                "{\"ministraBaseUrl\":\"http://127.0.0.1:9/\",\"sharedMinistra\":true}")
                .status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            assertThat(service.post("/companies/" + company + "/test-connection", ADMIN, null).json().get("outcome")
                    .asText()).isEqualTo("unreachable");
        }
        assertThat(service.post("/companies/" + company + "/tariffs/sync", ADMIN, null).json().get("outcome")
                .asText()).isEqualTo("failed");
        assertThat(service.patch("/companies/" + company, ADMIN, "{\"ministraBaseUrl\":\"" + ministra.apiBaseUrl()
                + "\",\"sharedMinistra\":true}").status()).isEqualTo(200);
        assertThat(service.post("/companies/" + company + "/test-connection", ADMIN, null).json().get("outcome")
                .asText()).isEqualTo("ok");
        assertThat(service.post("/companies/" + company + "/test-connection", ADMIN, null).status()).isEqualTo(200);

        assertThat(rows(database, "SELECT type FROM event_outbox WHERE company_id = ? AND type NOT LIKE 'tariff.%'"
                + " ORDER BY seq", company).stream().map(row -> row.get(0)).toList())
                .containsExactly("company.ministra_unreachable", "tariff_sync.failed", "company.ministra_recovered");
        assertThat(rows(database, "SELECT data FROM event_outbox WHERE company_id = ? AND type ="
                + " 'tariff_sync.failed'", company).get(0).get(0).toString()).contains("unreachable");
    }

    @Test
    void deadLettersReplaysAndOnlineTransitionsArePublished(MinistraSimulator ministra) throws Exception {
        long company = EventsFixture.createCompany(service, ministra, "Lifecycle ISP");
        // Ministra already binds this box to an account we do not have: our push is refused, a dead letter
        ministraAccount(ministra, "someone-else", "00:1A:79:00:DD:01");
        assertThat(service.post("/accounts?company=" + company, ADMIN, """
                {"login":"clash","password":"Sub-Pw-clash-1","stbMac":"00:1A:79:00:DD:01"}""").status())
                .isEqualTo(201);
        awaitCondition(() -> count(database, "SELECT COUNT(*) FROM event_outbox WHERE company_id = ? AND type ="
                + " 'account.dead_lettered'", company) == 1, "account.dead_lettered");
        long deadLetter = count(database, "SELECT id FROM dead_letter WHERE company_id = ?", company);
        assertThat(service.patch("/accounts/clash?company=" + company, ADMIN, "{\"stbMac\":\"00:1A:79:00:DD:02\"}")
                .status()).isEqualTo(200);
        assertThat(service.post("/dead-letters/" + deadLetter + "/replay", ADMIN, null).status()).isEqualTo(200);
        awaitCondition(() -> count(database, "SELECT COUNT(*) FROM event_outbox WHERE company_id = ? AND type ="
                + " 'account.synced'", company) == 1, "account.synced after the replay");

        ApiAnswer refreshed = service.post("/companies/" + company + "/status/refresh", ADMIN, null);
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        ministra.devices().register("00:1A:79:00:DD:02", "SN9", "MAG322", "2.20", "10.0.0.9");
        assertThat(service.post("/companies/" + company + "/status/refresh", ADMIN, null).json().get("transitions")
                .asInt()).isEqualTo(1);

        assertThat(rows(database, "SELECT type FROM event_outbox WHERE company_id = ? ORDER BY seq", company).stream()
                .map(row -> row.get(0)).toList()).containsExactly("account.created", "account.dead_lettered",
                "account.updated", "account.replayed", "account.synced", "account.online");
        String deadData = rows(database, "SELECT data FROM event_outbox WHERE company_id = ? AND type ="
                + " 'account.dead_lettered'", company).get(0).get(0).toString();
        assertThat(deadData).contains("MAC address already in use").contains("\"cause\":\"rejected\"");
    }

    /** An account only Ministra has, written through its own API as another system would. */
    private static void ministraAccount(MinistraSimulator ministra, String login, String mac) throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(ministra.apiBaseUrl() + "accounts"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                "ministra:ministra-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("login=" + login + "&stb_mac="
                                + mac.replace(":", "%3A") + "&status=1")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("{\"status\":\"OK\",\"results\":true}");
    }

    @Test
    void retryAfterIsHonouredAndRedirectsAreNotFollowed(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Throttling ISP");
        try (WebhookReceiver throttling = WebhookReceiver.start(); WebhookReceiver moved = WebhookReceiver.start()) {
            // 429 with Retry-After: 2, then accepted. Retry-After is honoured up to the longest delay, 400 ms here,
            // where a first retry would wait 80 to 120 ms
            throttling.retryAfter("2");
            throttling.answer(request -> throttling.received().size() == 1 ? 429 : 204);
            EventsFixture.createWebhook(service, company, throttling.url(), "[\"account.created\"]");
            moved.location(moved.url().replace("/hooks/billing", "/hooks/elsewhere"));
            moved.answer(request -> 302);
            long movedId = EventsFixture.createWebhook(service, company, moved.url(), "[\"account.created\"]")
                    .get("id").asLong();
            EventsFixture.createAccount(service, company, "throttled");

            awaitCondition(() -> throttling.received().size() == 2, "the retry after the 429");
            List<WebhookReceiver.Received> attempts = throttling.received();
            assertThat(attempts.get(1).id()).isEqualTo(attempts.get(0).id());
            assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThan(
                    Duration.ofMillis(390));
            // a redirect is an answer, not a new address: a dead letter at once, the Location never called
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'dead'", movedId) == 1, "the redirected delivery dead-lettered");
            assertThat(moved.received()).extracting(WebhookReceiver.Received::path).containsExactly("/hooks/billing");
        }
    }

    @Test
    void twoNodesDeliverEachEventOnceAndInOrder(MinistraSimulator ministra) {
        long company = EventsFixture.createCompany(service, ministra, "Two-node ISP");
        try (ServiceUnderTest second = ServiceUnderTest.start(database, EventsFixture.fast(Map.of()));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.delay(5);
            long id = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]").get("id")
                    .asLong();
            for (int a = 0; a < 20; a++) {
                ServiceUnderTest node = a % 2 == 0 ? service : second;
                EventsFixture.createAccount(node, company, "node" + a);
                node.patch("/accounts/node" + a + "?company=" + company, ADMIN, "{\"fullName\":\"Two " + a + "\"}");
            }
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM account_push WHERE company_id = ?"
                    + " AND state <> 'synced'", company) == 0, "every account synced");
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ?"
                    + " AND state <> 'delivered'", id) == 0, "every delivery delivered");
            Map<String, Long> sequence = new HashMap<>();
            rows(database, "SELECT event_id, seq FROM event_outbox WHERE company_id = ?", company)
                    .forEach(row -> sequence.put((String) row.get(0), ((Number) row.get(1)).longValue()));
            List<WebhookReceiver.Received> received = receiver.received();
            assertThat(received.stream().map(WebhookReceiver.Received::id).toList()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sequence.keySet());
            Map<String, List<Long>> bySubject = new HashMap<>();
            received.forEach(r -> bySubject.computeIfAbsent(r.json().get("subject").asText(), k -> new ArrayList<>())
                    .add(sequence.get(r.id())));
            bySubject.forEach((subject, arrivals) -> assertThat(arrivals).as(subject).isSorted());
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ?", id))
                    .isEqualTo(received.size());
        }
    }

    private static JsonNode findFirst(JsonNode items, String outcome) {
        for (JsonNode item : items) {
            if (item.get("outcome").asText().equals(outcome)) {
                return item;
            }
        }
        throw new AssertionError("no attempt with outcome " + outcome);
    }

    private static String remember(String secret) {
        SECRETS.add(secret);
        return secret;
    }
}
