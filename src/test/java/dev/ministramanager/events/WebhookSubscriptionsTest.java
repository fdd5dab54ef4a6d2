package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static dev.ministramanager.events.EventsFixture.awaitCondition;
import static dev.ministramanager.events.EventsFixture.count;
import static dev.ministramanager.events.EventsFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which webhooks an event goes to: every enabled webhook of its company whose patterns match its type, and no other.
 * PostgreSQL matches the patterns inside the statement that writes the event; H2 reads the subscribers and matches
 * them with {@link EventTypes#matches}. Both must give the deliveries that {@code EventTypes.matches} gives. On
 * PostgreSQL the same statement writes the audit entry the event comes from.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class WebhookSubscriptionsTest {

    @Test
    void anEventGoesToEveryEnabledMatchingWebhookOfItsCompanyAndNoOther(MinistraSimulator ministra) {
        try (TestDatabase database = TestDatabase.forFlows();
             ServiceUnderTest service = ServiceUnderTest.start(database, EventsFixture.fast(Map.of()));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            long company = EventsFixture.createCompany(service, ministra, "Patterns ISP");
            long other = EventsFixture.createCompany(service, ministra, "Other ISP");
            Map<Long, List<String>> patterns = new LinkedHashMap<>();
            for (String events : List.of("[\"*\"]", "[\"account.*\"]", "[\"account.created\"]", "[\"tariff.*\"]",
                    "[\"account.synced\",\"company.*\"]", "[\"account.updated\",\"account.deleted\"]")) {
                long id = EventsFixture.createWebhook(service, company, receiver.url(), events).get("id").asLong();
                patterns.put(id, EventTypes.patterns(rows(database, "SELECT event_types FROM webhook WHERE id = ?",
                        id).get(0).get(0).toString()));
            }
            long disabled = EventsFixture.createWebhook(service, company, receiver.url(), "[\"*\"]").get("id")
                    .asLong();
            assertThat(service.patch("/webhooks/" + disabled, ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);
            long otherCompany = EventsFixture.createWebhook(service, other, receiver.url(), "[\"*\"]").get("id")
                    .asLong();
            long from = count(database, "SELECT COALESCE(MAX(seq), 0) FROM event_outbox");

            assertThat(service.post("/companies/" + company + "/tariffs/sync", ADMIN, null).json().get("outcome")
                    .asText()).isEqualTo("succeeded");
            EventsFixture.createAccount(service, company, "matched1");
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM event_outbox WHERE seq > ? AND company_id = ?"
                    + " AND type = 'account.synced'", from, company) == 1, "the account pushed");
            service.patch("/accounts/matched1?company=" + company, ADMIN, "{\"phone\":\"+1001\"}");
            awaitCondition(() -> count(database, "SELECT COUNT(*) FROM event_outbox WHERE seq > ? AND company_id = ?"
                    + " AND type = 'account.synced'", from, company) == 2, "the change pushed");

            List<List<Object>> events = rows(database, "SELECT seq, type FROM event_outbox WHERE seq > ? AND"
                    + " company_id = ? ORDER BY seq", from, company);
            assertThat(events.stream().map(event -> event.get(1)).collect(Collectors.toSet()))
                    .contains("tariff.created", "account.created", "account.updated", "account.synced");
            for (List<Object> event : events) {
                String type = event.get(1).toString();
                Set<Long> expected = patterns.entrySet().stream()
                        .filter(webhook -> EventTypes.matches(webhook.getValue(), type))
                        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
                Set<Long> delivered = rows(database, "SELECT webhook_id FROM webhook_delivery WHERE event_seq = ?",
                        event.get(0)).stream().map(row -> ((Number) row.get(0)).longValue())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(delivered).as("the webhooks of %s", type).isEqualTo(expected);
            }
            assertThat(count(database, "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id IN (?, ?)", disabled,
                    otherCompany)).isZero();
            // on PostgreSQL the audit entry of a create or a change is written by its event's statement: each is
            // there once, as the trail writes it (the password masked)
            List<List<Object>> entries = rows(database, "SELECT action, outcome, details FROM audit_event WHERE"
                    + " company_id = ? AND subject = 'account' AND subject_id = 'matched1' AND action IN ('create',"
                    + " 'change') ORDER BY id", company);
            assertThat(entries).extracting(entry -> entry.get(0) + " " + entry.get(1))
                    .containsExactly("create ok", "change ok");
            assertThat(entries.get(0).get(2).toString()).contains("\"password\":\"***\"");
            assertThat(entries.get(1).get(2).toString()).contains("+1001");
        }
    }
}
