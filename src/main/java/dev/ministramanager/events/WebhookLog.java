package dev.ministramanager.events;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators see of deliveries: each endpoint's attempts ({@code GET /webhooks/{id}/deliveries}) and the
 * delivery dead letters, which they replay (sent again from the first attempt) or discard, as push dead letters.
 */
public class WebhookLog {

    private static final int PAGE_DEFAULT = 50;
    private static final int PAGE_MAX = 500;
    private static final String ATTEMPTS = SqlStatements.load("webhooks-attempts");
    private static final String DEAD_LETTERS = SqlStatements.load("webhooks-dead-letters");
    private static final String DEAD_LETTER = SqlStatements.load("webhooks-dead-letter");
    private static final String REPLAY = SqlStatements.load("webhooks-dead-letter-replay");
    private static final String DISCARD = SqlStatements.load("webhooks-dead-letter-discard");

    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final Webhooks webhooks;
    private final AuditTrail audit;
    private final Clock clock;

    public WebhookLog(DataSource dataSource, Webhooks webhooks, AuditTrail audit, Clock clock) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.webhooks = webhooks;
        this.audit = audit;
        this.clock = clock;
    }

    /** The endpoint's attempts, newest first: outcome, status, latency and the receiver's answer (truncated). */
    public Map<String, Object> deliveries(Exchange exchange) {
        Webhooks.Owned webhook = webhooks.visibleWebhook(exchange);
        int limit = limit(exchange.getMessage().getHeader("limit", String.class));
        List<Map<String, Object>> items = named.query(ATTEMPTS, new MapSqlParameterSource("id", webhook.id())
                .addValue("limit", limit), (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", rs.getLong("id"));
                    item.put("deliveryId", rs.getObject("delivery_id"));
                    item.put("eventId", rs.getString("event_id"));
                    item.put("type", rs.getString("event_type"));
                    item.put("attemptedAt", rs.getObject("attempted_at", OffsetDateTime.class));
                    item.put("outcome", rs.getString("outcome"));
                    item.put("statusCode", rs.getObject("status_code"));
                    item.put("latencyMs", rs.getLong("latency_ms"));
                    item.put("error", rs.getString("error"));
                    item.put("response", rs.getString("response_excerpt"));
                    item.put("deliveryState", rs.getString("delivery_state"));
                    return item;
                });
        return Map.of("webhookId", webhook.id(), "items", items);
    }

    /** Open delivery dead letters of the caller's companies (or of one, or of one webhook). */
    public Map<String, Object> deadLetters(Exchange exchange) {
        Long companyId = exchange.getVariable(ApiGate.COMPANY_ID, Long.class);
        String webhook = exchange.getMessage().getHeader("webhook", String.class);
        MapSqlParameterSource params = new MapSqlParameterSource("companies",
                companyId == null ? Webhooks.visible(exchange) : List.of(companyId))
                .addValue("limit", limit(exchange.getMessage().getHeader("limit", String.class)))
                .addValue("everyWebhook", webhook == null).addValue("webhook", 0L);
        if (webhook != null) {
            try {
                params.addValue("webhook", Long.parseLong(webhook));
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("webhook", "Parameter 'webhook' must be a webhook id.");
            }
        }
        return Map.of("items", named.query(DEAD_LETTERS, params, (rs, i) -> deadLetter(rs)));
    }

    public Map<String, Object> replay(Exchange exchange) {
        return resolve(exchange, "replay");
    }

    public Map<String, Object> discard(Exchange exchange) {
        return resolve(exchange, "discard");
    }

    private Map<String, Object> resolve(Exchange exchange, String action) {
        long id = Webhooks.idOf(exchange);
        MapSqlParameterSource params = new MapSqlParameterSource("id", id)
                .addValue("companies", Webhooks.visible(exchange))
                .addValue("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        return transaction.execute(tx -> {
            List<Map<String, Object>> found = named.query(DEAD_LETTER, params, (rs, i) -> deadLetter(rs));
            if (found.isEmpty()) {
                throw ProblemException.notFound("Delivery dead letter " + id + " not found.");
            }
            int changed = named.update(action.equals("replay") ? REPLAY : DISCARD, params);
            if (changed == 0) {
                throw ProblemException.conflict("id", "Delivery " + id + " is not an open dead letter (it is "
                        + found.get(0).get("state") + ").");
            }
            Map<String, Object> letter = found.get(0);
            audit.record(exchange.getVariable(ApiGate.ACTOR, String.class), (Long) letter.get("companyId"),
                    Webhooks.SUBJECT, String.valueOf(letter.get("webhookId")), action + "-delivery", "ok",
                    Map.of("deliveryId", id, "eventId", letter.get("eventId")));
            letter.put("state", action.equals("replay") ? "pending" : "discarded");
            return letter;
        });
    }

    private static Map<String, Object> deadLetter(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", rs.getLong("id"));
        item.put("webhookId", rs.getLong("webhook_id"));
        item.put("companyId", rs.getLong("company_id"));
        item.put("state", rs.getString("state"));
        item.put("eventId", rs.getString("event_id"));
        item.put("type", rs.getString("type"));
        item.put("subject", rs.getString("subject"));
        item.put("attempts", rs.getInt("attempts"));
        item.put("lastStatus", rs.getObject("last_status"));
        item.put("lastError", rs.getString("last_error"));
        item.put("deadAt", rs.getObject("finished_at", OffsetDateTime.class));
        return item;
    }

    private static int limit(String raw) {
        return EventFeed.limit(raw, PAGE_DEFAULT, PAGE_MAX);
    }
}
