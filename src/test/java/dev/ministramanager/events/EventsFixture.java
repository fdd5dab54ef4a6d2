package dev.ministramanager.events;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/** Shared steps of the events tests: short delays, companies, webhooks, waiting for what a receiver got. */
final class EventsFixture {

    static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    private EventsFixture() {
    }

    /** Short delays so that retries, disabling and the stream play out within a test; production keeps defaults. */
    static Map<String, String> fast(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>();
        properties.put("mm.accounts.push.poll-interval-ms", "50");
        properties.put("mm.webhooks.poll-interval-ms", "50");
        properties.put("mm.webhooks.retry-initial-delay-ms", "100");
        properties.put("mm.webhooks.retry-max-delay-ms", "400");
        properties.put("mm.webhooks.timeout-ms", "3000");
        properties.put("mm.webhooks.lease-seconds", "10");
        properties.put("mm.events.visibility-delay-ms", "200");
        properties.put("mm.events.stream-poll-interval-ms", "100");
        properties.put("mm.events.stream-heartbeat-seconds", "1");
        properties.put("mm.db.pool-size", "10");
        properties.putAll(more);
        return properties;
    }

    static long createCompany(ServiceUnderTest service, MinistraSimulator ministra, String name) {
        return ServiceFixture.company(service, name, ministra.apiBaseUrl(), "\"readTimeoutMs\":5000");
    }

    /** A webhook; the answer carries the secret, shown only there. */
    static JsonNode createWebhook(ServiceUnderTest service, long company, String url, String events) {
        ApiAnswer created = service.post("/webhooks?company=" + company, ADMIN, """
                {"url":"%s","events":%s}""".formatted(url, events));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("secret").asText()).startsWith("whsec_");
        return created.json();
    }

    static void createAccount(ServiceUnderTest service, long company, String login) {
        ApiAnswer created = service.post("/accounts?company=" + company, ADMIN, """
                {"login":"%s","password":"Sub-Pw-%s-1"}""".formatted(login, login));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    static void awaitCondition(BooleanSupplier condition, String what) {
        awaitCondition(condition, what, Duration.ofSeconds(30));
    }

    static void awaitCondition(BooleanSupplier condition, String what, Duration within) {
        eventually(what, within, condition::getAsBoolean);
    }

    static long count(TestDatabase database, String query, Object... args) {
        List<List<Object>> rows = rows(database, query, args);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(0)).longValue();
    }

    /** {@link TestDatabase#rows} with each row's values by position. */
    static List<List<Object>> rows(TestDatabase database, String query, Object... args) {
        return database.rows(query, args).stream().map(row -> (List<Object>) new ArrayList<>(row.values())).toList();
    }
}
