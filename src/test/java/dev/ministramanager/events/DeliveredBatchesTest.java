package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.awaitCondition;
import static dev.ministramanager.events.EventsFixture.count;
import static dev.ministramanager.events.EventsFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a batch of successful deliveries is recorded (one statement for the batch on PostgreSQL, one a delivery on H2):
 * a delivery whose claim is still ours becomes delivered; one whose claim another node took while the receiver was
 * answering (its lease ran out) is recorded as a lost attempt and the other node's claim is left alone.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class DeliveredBatchesTest {

    @Test
    void aSuccessAfterAnotherNodeTookTheClaimIsLostAndLeavesThatClaimAlone(MinistraSimulator ministra) {
        try (TestDatabase database = TestDatabase.forFlows();
             ServiceUnderTest service = ServiceUnderTest.start(database, EventsFixture.fast(Map.of(
                     "mm.webhooks.lease-seconds", "60")));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Batch ISP");
            long webhook = EventsFixture.createWebhook(service, company, receiver.url(), "[\"account.created\"]")
                    .get("id").asLong();
            receiver.delay(1_500);
            EventsFixture.createAccount(service, company, "taken1");
            awaitCondition(() -> receiver.count() == 1, "the first event at the receiver");
            // while the receiver holds its answer, another node takes the claim over
            database.update("UPDATE webhook_delivery SET claim_token = 'another-node' WHERE webhook_id = ?", webhook);
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ?",
                    webhook) == 1, "the success recorded");
            assertThat(rows(database, "SELECT outcome, status_code FROM webhook_attempt WHERE webhook_id = ?",
                    webhook)).containsExactly(List.of("lost", 204));
            assertThat(rows(database, "SELECT state, attempts, claim_token FROM webhook_delivery WHERE webhook_id = ?",
                    webhook)).containsExactly(List.of("pending", 0, "another-node"));

            receiver.delay(0);
            EventsFixture.createAccount(service, company, "kept1");
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ? AND"
                    + " outcome = 'delivered'", webhook) == 1, "the second success recorded");
            List<List<Object>> kept = rows(database, "SELECT d.state, d.attempts, d.last_status, d.claim_token,"
                    + " d.lease_until FROM webhook_delivery d JOIN event_outbox e ON e.seq = d.event_seq"
                    + " WHERE d.webhook_id = ? AND e.subject = 'kept1'", webhook);
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0)).containsExactly("delivered", 1, 204, null, null);
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ? AND"
                    + " finished_at IS NOT NULL", webhook)).isEqualTo(1);
        }
    }
}
