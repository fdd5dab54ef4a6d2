package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static dev.ministramanager.events.EventsFixture.awaitCondition;
import static dev.ministramanager.events.EventsFixture.count;
import static dev.ministramanager.events.EventsFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.Eventually;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What becomes of deliveries a node has claimed and not sent yet, on PostgreSQL: a slow receiver and one delivery at a
 * time per endpoint keep several claimed and waiting. The leases are long (60 s), so that a claim released shows as
 * a prompt delivery, not one after the lease.
 */
@ExtendWith(SimulatorExtension.class)
class WebhookClaimsTest {

    private static final Map<String, String> ONE_AT_A_TIME = EventsFixture.fast(Map.of(
            "mm.webhooks.per-endpoint-concurrency", "1",
            "mm.webhooks.lease-seconds", "60"));

    @Test
    void claimedDeliveriesOfADisabledOrDeletedWebhookAreNotSent(MinistraSimulator ministra) {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, ONE_AT_A_TIME);
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Withdrawn ISP");
            receiver.delay(300);
            long id = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.created\"]")
                    .get("id").asLong();
            for (int a = 0; a < 8; a++) {
                EventsFixture.createAccount(service, company, "withdrawn" + a);
            }
            awaitClaimedAndWaiting(database, id);

            assertThat(service.patch("/webhooks/" + id, ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);
            int arrivedBeforeDisabling = receiver.count();
            // the one in flight when it was disabled (one at a time) may still arrive; no other
            Eventually.pause(2_000);
            assertThat(receiver.count()).isLessThanOrEqualTo(arrivedBeforeDisabling + 1);
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " lease_until IS NOT NULL", id) == 0, "the claims released");
            long undelivered = count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'pending'", id);
            assertThat(undelivered).isPositive();
            // not sent is not attempted: they wait for the endpoint, as deliveries of a disabled one do
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'pending' AND attempts > 0", id)).isZero();

            // enabled again: everything arrives
            assertThat(service.patch("/webhooks/" + id, ADMIN, "{\"enabled\":true}").status()).isEqualTo(200);
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state <> 'delivered'", id) == 0, "everything delivered once re-enabled");
            assertThat(receiver.received().stream().map(WebhookReceiver.Received::id).collect(Collectors.toSet()))
                    .hasSize(8);

            // deleted while some are claimed: those are not sent either
            for (int a = 0; a < 8; a++) {
                EventsFixture.createAccount(service, company, "deleted" + a);
            }
            awaitClaimedAndWaiting(database, id);
            assertThat(service.delete("/webhooks/" + id, ADMIN).status()).isEqualTo(200);
            int arrivedBeforeDeleting = receiver.count();
            Eventually.pause(2_000);
            assertThat(receiver.count()).isLessThanOrEqualTo(arrivedBeforeDeleting + 1);
        }
    }

    @Test
    void aStoppingNodeReleasesItsUnsentClaimsForAnotherNode(MinistraSimulator ministra) throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long id;
            Set<String> events;
            try (ServiceUnderTest stopping = ServiceUnderTest.start(database, ONE_AT_A_TIME)) {
                long company = EventsFixture.createCompany(stopping, ministra, "Handover ISP");
                receiver.delay(300);
                id = EventsFixture.createWebhook(stopping, company, receiver.url(), "[\"account.created\"]")
                        .get("id").asLong();
                for (int a = 0; a < 8; a++) {
                    EventsFixture.createAccount(stopping, company, "handover" + a);
                }
                events = rows(database, "SELECT event_id FROM event_outbox WHERE company_id = ? AND type ="
                        + " 'account.created'", company).stream().map(row -> (String) row.get(0))
                        .collect(Collectors.toSet());
                awaitClaimedAndWaiting(database, id);
            }
            // stopped: nothing of it holds a claim any more
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " lease_until IS NOT NULL", id)).isZero();
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " state = 'pending'", id)).isPositive();

            receiver.delay(0);
            try (ServiceUnderTest other = ServiceUnderTest.start(database, ONE_AT_A_TIME)) {
                // well within the 60 s lease: released, not expired
                awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ?"
                        + " AND state <> 'delivered'", id) == 0, "the other node delivers the rest",
                        Duration.ofSeconds(20));
            }
            assertThat(new HashSet<>(receiver.received().stream().map(WebhookReceiver.Received::id).toList()))
                    .isEqualTo(events);
        }
    }

    /** Some deliveries of the webhook are claimed and wait for its one slot, and not all are sent yet. */
    private static void awaitClaimedAndWaiting(TestDatabase database, long webhook) {
        awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                + " state = 'pending' AND lease_until IS NOT NULL", webhook) >= 3, "deliveries claimed and waiting");
    }
}
