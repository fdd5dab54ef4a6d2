package dev.ministramanager.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ministramanager.audit.AuditTrail;

/**
 * Events from the audit trail: every change the events report is already audited in the transaction that makes it
 * (account changes, pushes, dead letters, replays, online/offline transitions, failed or held tariff syncs,
 * connection tests, disabled webhooks), so following the trail publishes each event in that same transaction
 * without a second call at every place a change is made. Event data is the audit details without anything about
 * passwords, not even masked.
 */
public class AuditedEvents implements AuditTrail.Follower {

    private final EventOutbox outbox;

    public AuditedEvents(EventOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * On PostgreSQL an entry that gives one event is written by the statement that writes the event (a create, a
     * change: one round trip less); a connection test's entry, or one that gives no event, is left to the trail.
     */
    @Override
    public boolean wroteWith(AuditTrail.Event entry, Object[] row) {
        if (!outbox.writesAuditEntries() || entry.companyId() == null || isConnectionTest(entry)) {
            return false;
        }
        String type = typeOf(entry);
        if (type == null) {
            return false;
        }
        outbox.publishWithAuditEntry(new EventOutbox.Event(type, entry.companyId(), entry.subjectId(), data(entry)),
                row);
        return true;
    }

    @Override
    public void recorded(List<AuditTrail.Event> entries) {
        List<EventOutbox.Event> events = new ArrayList<>();
        for (AuditTrail.Event entry : entries) {
            if (entry.companyId() == null) {
                continue;
            }
            if (isConnectionTest(entry)) {
                reachability(entry);
                continue;
            }
            String type = typeOf(entry);
            if (type != null) {
                events.add(new EventOutbox.Event(type, entry.companyId(), entry.subjectId(), data(entry)));
            }
        }
        outbox.publishAll(events);
    }

    private static boolean isConnectionTest(AuditTrail.Event entry) {
        return entry.subject().equals("company") && entry.action().equals("test-connection");
    }

    private static String typeOf(AuditTrail.Event entry) {
        boolean ok = entry.outcome().equals("ok");
        return switch (entry.subject()) {
            case AuditTrail.ACCOUNT -> switch (entry.action()) {
                case "create" -> ok ? EventTypes.ACCOUNT_CREATED : null;
                case "change", "activate", "deactivate", "password", "adopt" -> ok ? EventTypes.ACCOUNT_UPDATED : null;
                case "delete" -> ok ? EventTypes.ACCOUNT_DELETED : null;
                case "push" -> ok ? EventTypes.ACCOUNT_SYNCED : null;
                case "dead-letter" -> EventTypes.ACCOUNT_DEAD_LETTERED;
                case "replay" -> ok ? EventTypes.ACCOUNT_REPLAYED : null;
                case "online-transition" -> entry.outcome().equals("online") ? EventTypes.ACCOUNT_ONLINE
                        : entry.outcome().equals("offline") ? EventTypes.ACCOUNT_OFFLINE : null;
                default -> null;
            };
            case "tariff_sync" -> entry.outcome().equals("failed") ? EventTypes.TARIFF_SYNC_FAILED
                    : entry.outcome().equals("held") ? EventTypes.TARIFF_SYNC_HELD : null;
            case Webhooks.SUBJECT -> entry.action().equals("disable") ? EventTypes.WEBHOOK_DISABLED : null;
            default -> null;
        };
    }

    /** Unreachable and 5xx are "unreachable"; ok is reachable; a refused login or a non-Ministra answer says neither. */
    private void reachability(AuditTrail.Event entry) {
        Object detail = entry.details() == null ? null : entry.details().get("detail");
        switch (entry.outcome()) {
            case "ok" -> outbox.ministraReachability(entry.companyId(), true, String.valueOf(detail));
            case "unreachable", "server_error" -> outbox.ministraReachability(entry.companyId(), false,
                    entry.outcome() + ": " + detail);
            default -> {
                // Ministra answered: whatever is wrong, it is reachable, but that says nothing of a recovery
            }
        }
    }

    private static Map<String, Object> data(AuditTrail.Event entry) {
        Map<String, Object> data = new LinkedHashMap<>();
        boolean passwordChanged = false;
        if (entry.details() != null) {
            for (Map.Entry<String, ?> detail : entry.details().entrySet()) {
                if (detail.getKey().toLowerCase(Locale.ROOT).contains("password")) {
                    passwordChanged |= detail.getKey().equals("password");
                    continue;
                }
                data.put(detail.getKey(), detail.getValue());
            }
        }
        if (entry.action().equals("password") || passwordChanged && !entry.action().equals("create")) {
            data.put("passwordChanged", true);
        }
        if (entry.action().equals("dead-letter")) {
            data.put("cause", entry.outcome());
        }
        return data;
    }
}
