package dev.ministramanager.events;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.security.SecretCipher;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhook endpoints, per company (admin work). The signing secret ({@code whsec_} + base64 of 24 random bytes, as
 * Standard Webhooks has it) is generated here, encrypted with the service's secret key, and shown once: in the answer
 * that creates or rotates it. After a rotation the previous secret keeps signing (a second signature) until the
 * overlap ends, so receivers can roll without losing a delivery.
 */
public class Webhooks {

    public static final String SUBJECT = "webhook";
    static final String SECRET_PREFIX = "whsec_";
    private static final String INSERT = SqlStatements.load("webhooks-insert");
    private static final String OF_COMPANIES = SqlStatements.load("webhooks-of-companies");
    private static final String BY_ID = SqlStatements.load("webhooks-by-id");
    private static final String VISIBLE = SqlStatements.load("webhooks-visible");
    private static final String SET_URL = SqlStatements.load("webhooks-set-url");
    private static final String SET_EVENTS = SqlStatements.load("webhooks-set-events");
    private static final String SET_DESCRIPTION = SqlStatements.load("webhooks-set-description");
    private static final String SET_ENABLED = SqlStatements.load("webhooks-set-enabled");
    private static final String TOUCH = SqlStatements.load("webhooks-touch");
    private static final String DELETE = SqlStatements.load("webhooks-delete");
    private static final String ROTATE_SECRET = SqlStatements.load("webhooks-rotate-secret");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final WebhookUrls urls;
    private final Duration secretOverlap;
    private final Clock clock;
    private final DeliveryClaims claims;
    private final SecureRandom random = new SecureRandom();

    public Webhooks(DataSource dataSource, SecretCipher cipher, AuditTrail audit, WebhookUrls urls,
                    Duration secretOverlap, Clock clock, DeliveryClaims claims) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cipher = cipher;
        this.audit = audit;
        this.urls = urls;
        this.secretOverlap = secretOverlap;
        this.clock = clock;
        this.claims = claims;
    }

    public void create(Exchange exchange) {
        NewWebhook request = exchange.getMessage().getBody(NewWebhook.class);
        long companyId = ApiGate.requireCompany(exchange, request.companyId());
        String url = urls.check(request.url());
        String secret = newSecret();
        OffsetDateTime now = now();
        long id = transaction.execute(tx -> {
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"});
                insert.setLong(1, companyId);
                insert.setString(2, url);
                insert.setString(3, String.join(",", request.events()));
                insert.setString(4, request.description());
                insert.setBoolean(5, request.enabled() == null || request.enabled());
                insert.setString(6, cipher.encrypt(secret));
                insert.setObject(7, now);
                insert.setObject(8, now);
                return insert;
            }, key);
            long newId = key.getKey().longValue();
            audit.record(actor(exchange), companyId, SUBJECT, String.valueOf(newId), "create", "ok",
                    Map.of("url", url, "events", request.events(), "secret", AuditTrail.MASK));
            return newId;
        });
        Map<String, Object> answer = view(id);
        answer.put("secret", secret);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader("Location", "/api/v1/webhooks/" + id);
        exchange.getMessage().setBody(answer);
    }

    public Map<String, Object> list(Exchange exchange) {
        Long companyId = exchange.getVariable(ApiGate.COMPANY_ID, Long.class);
        List<Map<String, Object>> items = named.query(OF_COMPANIES,
                new MapSqlParameterSource("companies", companyId == null ? visible(exchange) : List.of(companyId)),
                (rs, i) -> view(rs));
        return Map.of("items", items);
    }

    public Map<String, Object> get(Exchange exchange) {
        return view(visibleWebhook(exchange).id());
    }

    public Map<String, Object> change(Exchange exchange) {
        Owned webhook = visibleWebhook(exchange);
        WebhookChanges changes = exchange.getMessage().getBody(WebhookChanges.class);
        String url = changes.url() == null ? null : urls.check(changes.url());
        transaction.executeWithoutResult(tx -> {
            Map<String, Object> changed = new LinkedHashMap<>();
            if (url != null) {
                jdbc.update(SET_URL, url, webhook.id());
                changed.put("url", url);
            }
            if (changes.events() != null) {
                jdbc.update(SET_EVENTS, String.join(",", changes.events()),
                        webhook.id());
                changed.put("events", changes.events());
            }
            if (changes.description() != null) {
                jdbc.update(SET_DESCRIPTION, changes.description(), webhook.id());
                changed.put("description", changes.description());
            }
            if (changes.enabled() != null) {
                // re-enabling starts afresh: the failures that disabled it no longer count
                named.update(SET_ENABLED, new MapSqlParameterSource("enabled", changes.enabled())
                        .addValue("id", webhook.id()));
                changed.put("enabled", changes.enabled());
                if (changes.enabled()) {
                    claims.reinstate(webhook.id());
                } else {
                    claims.withdraw(webhook.id());
                }
            }
            if (!changed.isEmpty()) {
                jdbc.update(TOUCH, now(), webhook.id());
                audit.record(actor(exchange), webhook.companyId(), SUBJECT, String.valueOf(webhook.id()), "change",
                        "ok", changed);
            }
        });
        return view(webhook.id());
    }

    /** Deletes the endpoint with its pending deliveries and attempts; its events stay in the outbox. */
    public Map<String, Object> delete(Exchange exchange) {
        Owned webhook = visibleWebhook(exchange);
        transaction.executeWithoutResult(tx -> {
            jdbc.update(DELETE, webhook.id());
            claims.withdraw(webhook.id());
            audit.record(actor(exchange), webhook.companyId(), SUBJECT, String.valueOf(webhook.id()), "delete", "ok",
                    Map.of());
        });
        return Map.of("id", webhook.id(), "deleted", true);
    }

    /** A new secret, shown in this answer only; the one before keeps signing until the overlap ends. */
    public Map<String, Object> rotateSecret(Exchange exchange) {
        Owned webhook = visibleWebhook(exchange);
        String secret = newSecret();
        OffsetDateTime until = now().plus(secretOverlap);
        transaction.executeWithoutResult(tx -> {
            jdbc.update(ROTATE_SECRET, until, cipher.encrypt(secret), now(),
                    webhook.id());
            audit.record(actor(exchange), webhook.companyId(), SUBJECT, String.valueOf(webhook.id()),
                    "rotate-secret", "ok", Map.of("secret", AuditTrail.MASK, "previousValidUntil", until.toString()));
        });
        Map<String, Object> answer = view(webhook.id());
        answer.put("secret", secret);
        return answer;
    }

    /** A webhook of a company the caller may see; any other answers 404, as if absent. */
    record Owned(long id, long companyId) {
    }

    Owned visibleWebhook(Exchange exchange) {
        long id = idOf(exchange);
        return named.query(VISIBLE,
                        new MapSqlParameterSource("id", id).addValue("companies", visible(exchange)),
                        (rs, i) -> new Owned(rs.getLong(1), rs.getLong(2))).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Webhook " + id + " not found."));
    }

    private Map<String, Object> view(long id) {
        return jdbc.query(BY_ID, (rs, i) -> view(rs), id).get(0);
    }

    private Map<String, Object> view(ResultSet rs) throws SQLException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", rs.getLong("id"));
        view.put("companyId", rs.getLong("company_id"));
        view.put("url", rs.getString("url"));
        view.put("events", EventTypes.patterns(rs.getString("event_types")));
        view.put("description", rs.getString("description"));
        view.put("enabled", rs.getBoolean("enabled"));
        view.put("failingSince", rs.getObject("failing_since", OffsetDateTime.class));
        view.put("disabledReason", rs.getString("disabled_reason"));
        view.put("disabledAt", rs.getObject("disabled_at", OffsetDateTime.class));
        OffsetDateTime previousUntil = rs.getObject("previous_secret_until", OffsetDateTime.class);
        view.put("previousSecretValidUntil", previousUntil != null && previousUntil.isAfter(now()) ? previousUntil
                : null);
        view.put("createdAt", rs.getObject("created_at", OffsetDateTime.class));
        view.put("updatedAt", rs.getObject("updated_at", OffsetDateTime.class));
        return view;
    }

    private String newSecret() {
        byte[] key = new byte[24];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static long idOf(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("id", String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Webhook '" + raw + "' not found.");
        }
    }


    @SuppressWarnings("unchecked")
    static List<Long> visible(Exchange exchange) {
        return exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
    }

    private static String actor(Exchange exchange) {
        return exchange.getVariable(ApiGate.ACTOR, String.class);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
