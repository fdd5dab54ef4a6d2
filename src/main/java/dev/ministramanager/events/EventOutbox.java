package dev.ministramanager.events;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable outbox of business events. An event is written in the caller's transaction (or a transaction of its
 * own when there is none), so it exists if and only if the change that caused it committed; in the same transaction
 * one delivery row is written for every enabled webhook of the company whose patterns match the type, so a webhook
 * never misses an event committed while it was enabled. The SSE stream and {@code GET /events} read the same rows.
 */
public class EventOutbox {

    private static final String INSERT_EVENT = SqlStatements.load("events-insert");
    private static final String INSERT_DELIVERY = SqlStatements.load("events-delivery-insert");
    private static final String SUBSCRIBERS = SqlStatements.load("events-subscribers");
    private static final String REACHABILITY_CHANGE = SqlStatements.load("events-reachability-change");
    private static final String REACHABILITY_KNOWN = SqlStatements.load("events-reachability-known");
    private static final String REACHABILITY_INSERT = SqlStatements.load("events-reachability-insert");

    /** The audit entry's values of an event written without one (see events-insert-with-deliveries). */
    private static final Object[] NO_AUDIT_ENTRY = new Object[7];

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;
    /**
     * On PostgreSQL an event and its deliveries, to the subscribers it finds itself, and the audit entry it comes
     * from, are one statement; else null (the subscribers read here, then two).
     */
    private final String insertWithDeliveries;
    /** Called once a transaction that wrote deliveries committed: the delivery claims them at once. */
    private volatile Runnable deliveriesCommitted = () -> { };

    /** One event to publish: its type (see {@link EventTypes}), company, subject and the data that changed. */
    public record Event(String type, long companyId, String subject, Map<String, ?> data) {
    }

    public EventOutbox(DataSource dataSource, ObjectMapper json, Clock clock, SqlDialect dialect) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.json = json;
        this.clock = clock;
        this.insertWithDeliveries = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("events-insert-with-deliveries", dialect) : null;
    }

    /** {@code listener} runs after each commit that wrote deliveries (instead of the delivery's next poll). */
    public void onDeliveriesCommitted(Runnable listener) {
        this.deliveriesCommitted = listener;
    }

    public void publish(long companyId, String type, String subject, Map<String, ?> data) {
        publishAll(List.of(new Event(type, companyId, subject, data)));
    }

    /** Writes the events and their deliveries, in the caller's transaction if there is one. */
    public void publishAll(List<Event> events) {
        publish(events, NO_AUDIT_ENTRY);
    }

    /** Whether {@link #publishWithAuditEntry} may be called: on PostgreSQL. */
    boolean writesAuditEntries() {
        return insertWithDeliveries != null;
    }

    /**
     * Writes the event, its deliveries and the audit entry it comes from ({@code auditRow}: its row as
     * {@code audit-event-insert} takes it) in one statement, in the caller's transaction. PostgreSQL only.
     */
    void publishWithAuditEntry(Event event, Object[] auditRow) {
        if (insertWithDeliveries == null || auditRow.length != NO_AUDIT_ENTRY.length) {
            throw new IllegalStateException("An audit entry is written with its event on PostgreSQL only");
        }
        publish(List.of(event), auditRow);
    }

    private void publish(List<Event> events, Object[] auditRow) {
        if (events.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(tx -> {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            boolean delivering = insertWithDeliveries != null ? insertInOneStatement(events, auditRow, now)
                    : insertEventsThenDeliveries(events, now);
            if (delivering) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        deliveriesCommitted.run();
                    }
                });
            }
        });
    }

    /**
     * PostgreSQL: each event, its deliveries and the audit entry it comes from in one statement (its row: the audit
     * entry's values, then the event's). Answers whether any delivery was written.
     */
    private boolean insertInOneStatement(List<Event> events, Object[] auditRow, OffsetDateTime now) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Event event : events) {
            Object[] row = Arrays.copyOf(auditRow, auditRow.length + 9);
            int column = auditRow.length;
            row[column++] = newEventId();
            row[column++] = event.type();
            row[column++] = event.companyId();
            row[column++] = event.subject();
            row[column++] = now;
            row[column++] = serialise(event.data());
            row[column++] = orderingKey(event);
            row[column++] = now;
            row[column] = now;
            rows.add(row);
        }
        return Arrays.stream(jdbc.batchUpdate(insertWithDeliveries, rows)).anyMatch(count -> count != 0);
    }

    /**
     * The other databases: the events, then a delivery for each enabled webhook of their company (read here) whose
     * patterns match. Answers whether any delivery was written.
     */
    private boolean insertEventsThenDeliveries(List<Event> events, OffsetDateTime now) {
        List<Object[]> rows = new ArrayList<>(events.size());
        List<Object[]> deliveries = new ArrayList<>();
        Map<Long, List<Subscriber>> subscribers = new HashMap<>();
        for (Event event : events) {
            String eventId = newEventId();
            rows.add(new Object[] {eventId, event.type(), event.companyId(), event.subject(), now,
                serialise(event.data())});
            for (Subscriber subscriber : subscribers.computeIfAbsent(event.companyId(), this::subscribers)) {
                if (EventTypes.matches(subscriber.patterns(), event.type())) {
                    deliveries.add(new Object[] {subscriber.webhookId(), orderingKey(event), now, now, eventId});
                }
            }
        }
        jdbc.batchUpdate(INSERT_EVENT, rows);
        if (!deliveries.isEmpty()) {
            jdbc.batchUpdate(INSERT_DELIVERY, deliveries);
        }
        return !deliveries.isEmpty();
    }

    private static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The company's Ministra was found reachable or not (a connection test; a circuit breaker's state change): an
     * event is published only when that differs from what was known, so a Ministra down for an hour is one
     * {@code company.ministra_unreachable} and one {@code company.ministra_recovered}. Never known before counts as
     * reachable.
     */
    public void ministraReachability(long companyId, boolean reachable, String detail) {
        transaction.executeWithoutResult(tx -> {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            int changed = jdbc.update(REACHABILITY_CHANGE, reachable, now, companyId, reachable);
            if (changed == 0) {
                if (!jdbc.queryForList(REACHABILITY_KNOWN, Boolean.class, companyId).isEmpty()) {
                    return;
                }
                try {
                    jdbc.update(REACHABILITY_INSERT, companyId, reachable, now);
                } catch (DuplicateKeyException recordedMeanwhile) {
                    return;
                }
                if (reachable) {
                    return;
                }
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("detail", detail);
            publish(companyId, reachable ? EventTypes.COMPANY_MINISTRA_RECOVERED
                    : EventTypes.COMPANY_MINISTRA_UNREACHABLE, String.valueOf(companyId), data);
        });
    }

    /** A tariff sync changed the catalogue: one event per plan, in the sync's transaction. */
    public void tariffsChanged(long companyId, List<String> created, List<String> updated, List<String> restored,
                               List<String> archived) {
        List<Event> events = new ArrayList<>();
        created.forEach(plan -> events.add(new Event(EventTypes.TARIFF_CREATED, companyId, plan, Map.of())));
        updated.forEach(plan -> events.add(new Event(EventTypes.TARIFF_UPDATED, companyId, plan, Map.of())));
        restored.forEach(plan -> events.add(new Event(EventTypes.TARIFF_UPDATED, companyId, plan,
                Map.of("restored", true))));
        archived.forEach(plan -> events.add(new Event(EventTypes.TARIFF_ARCHIVED, companyId, plan, Map.of())));
        publishAll(events);
    }

    private record Subscriber(long webhookId, List<String> patterns) {
    }

    private List<Subscriber> subscribers(long companyId) {
        return jdbc.query(SUBSCRIBERS, (rs, i) -> new Subscriber(rs.getLong(1), EventTypes.patterns(rs.getString(2))),
                companyId);
    }

    /** Events of one subject (an account, a plan) reach an endpoint in the order they were recorded. */
    private static String orderingKey(Event event) {
        return event.type().substring(0, event.type().indexOf('.') + 1) + event.subject().toLowerCase(Locale.ROOT);
    }

    private String serialise(Map<String, ?> data) {
        try {
            return json.writeValueAsString(data == null ? Map.of() : data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data must be JSON-serialisable", e);
        }
    }
}
