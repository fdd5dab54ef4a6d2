package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static dev.ministramanager.events.EventsFixture.awaitCondition;
import static dev.ministramanager.events.EventsFixture.count;
import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded default's database (H2): the outbox, a signed delivery in order, the live stream with heartbeats and
 * Last-Event-ID, the polling feed; and the URL rules of the production setting.
 */
@ExtendWith(SimulatorExtension.class)
class EventsOnH2Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventsAreDeliveredAndStreamedAndAStreamResumesAfterTheLastEventId(MinistraSimulator ministra)
            throws Exception {
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, EventsFixture.fast(Map.of()));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Streaming ISP");
            long other = EventsFixture.createCompany(service, ministra, "Hidden ISP");
            String viewer = service.post("/users", ADMIN, """
                    {"username":"console","role":"viewer","companies":[%d]}""".formatted(company)).json()
                    .get("token").asText();
            JsonNode webhook = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.*\"]");
            String secret = webhook.get("secret").asText();

            List<EventStreamClient.Frame> comments = new ArrayList<>();
            String lastId;
            try (EventStreamClient stream = EventStreamClient.open(service.api("/events/stream?types=account.*"),
                    viewer, null)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.contentType()).startsWith("text/event-stream");
                EventsFixture.createAccount(service, other, "hidden1");
                EventsFixture.createAccount(service, company, "streamed1");
                EventStreamClient.Frame created = stream.nextEvent(Duration.ofSeconds(10), comments);
                assertThat(created.event()).isEqualTo("account.created");
                JsonNode event = JSON.readTree(created.data());
                assertThat(event.get("subject").asText()).isEqualTo("streamed1");
                assertThat(event.get("companyId").asLong()).isEqualTo(company);
                assertThat(created.data()).doesNotContain("Sub-Pw-");
                EventStreamClient.Frame synced = stream.nextEvent(Duration.ofSeconds(10), comments);
                assertThat(synced.event()).isEqualTo("account.synced");
                assertThat(Long.parseLong(synced.id())).isGreaterThan(Long.parseLong(created.id()));
                lastId = synced.id();
                eventually("a heartbeat on the open stream", () -> {
                    comments.addAll(stream.drain());
                    return comments.stream().anyMatch(frame -> "heartbeat".equals(frame.comment()));
                });
                assertThat(comments).extracting(EventStreamClient.Frame::comment).contains("heartbeat");
            }

            EventsFixture.createAccount(service, company, "streamed2");
            try (EventStreamClient resumed = EventStreamClient.open(service.api("/events/stream?company=" + company),
                    viewer, lastId)) {
                EventStreamClient.Frame next = resumed.nextEvent(Duration.ofSeconds(10), comments);
                assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(lastId));
                assertThat(JSON.readTree(next.data()).get("subject").asText()).isEqualTo("streamed2");
            }
            // the stream answers problems before it starts
            try (EventStreamClient denied = EventStreamClient.open(service.api("/events/stream?company=" + other),
                    viewer, null)) {
                assertThat(denied.status()).isEqualTo(404);
            }
            try (EventStreamClient unauthenticated = EventStreamClient.open(service.api("/events/stream"),
                    "not-a-token", null)) {
                assertThat(unauthenticated.status()).isEqualTo(401);
            }

            // the polling feed pages the same events
            ApiAnswer page = service.get("/events?after=" + lastId + "&types=account.created", viewer);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("items")).hasSize(1);
            assertThat(page.json().get("items").get(0).get("subject").asText()).isEqualTo("streamed2");
            assertThat(service.get("/events?after=-1", viewer).json().get("field").asText()).isEqualTo("after");

            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'delivered'")
                    == 4, "four deliveries");
            List<WebhookReceiver.Received> received = receiver.received();
            assertThat(received).extracting(r -> r.json().get("type").asText() + " " + r.json().get("subject")
                    .asText()).containsExactlyInAnyOrder("account.created streamed1", "account.synced streamed1",
                    "account.created streamed2", "account.synced streamed2");
            assertThat(received).allMatch(r -> WebhookReceiver.verifies(r, secret));
            List<String> arrivals = received.stream().map(r -> r.json().get("type").asText() + " "
                    + r.json().get("subject").asText()).toList();
            assertThat(arrivals.indexOf("account.created streamed2")).isLessThan(
                    arrivals.indexOf("account.synced streamed2"));
        }
    }

    @Test
    void theProductionSettingRefusesHttpAndPrivateAddresses() {
        try (TestDatabase database = TestDatabase.h2();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of("mm.webhooks.allow-private-urls",
                     "false"))) {
            long company = service.post("/companies", ADMIN, """
                    {"name":"Strict ISP","ministraBaseUrl":"http://127.0.0.1:9/","ministraUser":"a",
                     "ministraPassword":"b"}""").json().get("id").asLong();
            for (String url : List.of("http://billing.example.com/hooks", "https://127.0.0.1/hooks",
                    "https://10.1.2.3/hooks", "https://[::1]/hooks", "https://user:pw@billing.example.com/hooks",
                    "ftp://billing.example.com/")) {
                ApiAnswer refused = service.post("/webhooks?company=" + company, ADMIN,
                        "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
                assertThat(refused.status()).as(url).isEqualTo(422);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.json().get("field").asText()).isEqualTo("url");
            }
            ApiAnswer unknownType = service.post("/webhooks?company=" + company, ADMIN,
                    "{\"url\":\"https://billing.example.com/\",\"events\":[\"account.exploded\"]}");
            assertThat(unknownType.status()).isEqualTo(400);
            assertThat(unknownType.json().get("field").asText()).isEqualTo("events");
            assertThat(service.post("/webhooks?company=" + company, ADMIN, "{\"url\":\"https://billing.example.com/\","
                    + "\"events\":[\"*\"],\"secret\":\"mine\"}").json().get("field").asText()).isEqualTo("secret");
            assertThat(count(database, "SELECT COUNT(*) FROM webhook")).isZero();
            assertThat(service.get("/webhooks", ADMIN).json().get("items")).isEmpty();
        }
    }
}
