package dev.ministramanager.events;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.ministramanager.api.ProblemException;

/** The event types, and the type patterns webhooks and streams subscribe with ({@code account.*}, {@code *}). */
public final class EventTypes {

    public static final String ACCOUNT_CREATED = "account.created";
    public static final String ACCOUNT_UPDATED = "account.updated";
    public static final String ACCOUNT_DELETED = "account.deleted";
    public static final String ACCOUNT_SYNCED = "account.synced";
    public static final String ACCOUNT_DEAD_LETTERED = "account.dead_lettered";
    public static final String ACCOUNT_REPLAYED = "account.replayed";
    public static final String ACCOUNT_ONLINE = "account.online";
    public static final String ACCOUNT_OFFLINE = "account.offline";
    public static final String TARIFF_CREATED = "tariff.created";
    public static final String TARIFF_UPDATED = "tariff.updated";
    public static final String TARIFF_ARCHIVED = "tariff.archived";
    public static final String TARIFF_SYNC_FAILED = "tariff_sync.failed";
    public static final String TARIFF_SYNC_HELD = "tariff_sync.held";
    public static final String COMPANY_MINISTRA_UNREACHABLE = "company.ministra_unreachable";
    public static final String COMPANY_MINISTRA_RECOVERED = "company.ministra_recovered";
    public static final String WEBHOOK_DISABLED = "webhook.disabled";
    /** Sent by {@code POST /webhooks/{id}/test} only; never in the outbox. */
    public static final String PING = "ping";

    public static final Set<String> ALL = Set.of(ACCOUNT_CREATED, ACCOUNT_UPDATED, ACCOUNT_DELETED, ACCOUNT_SYNCED,
            ACCOUNT_DEAD_LETTERED, ACCOUNT_REPLAYED, ACCOUNT_ONLINE, ACCOUNT_OFFLINE, TARIFF_CREATED, TARIFF_UPDATED,
            TARIFF_ARCHIVED, TARIFF_SYNC_FAILED, TARIFF_SYNC_HELD, COMPANY_MINISTRA_UNREACHABLE,
            COMPANY_MINISTRA_RECOVERED, WEBHOOK_DISABLED);

    private EventTypes() {
    }

    /** Stored or query form (comma-separated) to patterns. */
    public static List<String> patterns(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    public static boolean matches(List<String> patterns, String type) {
        for (String pattern : patterns) {
            if (pattern.equals("*") || pattern.equals(type)
                    || pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** 400 naming the field unless every pattern is {@code *}, a known type, or a known prefix with {@code .*}. */
    public static List<String> requireKnown(String field, List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            throw ProblemException.invalidField(field, "Field '" + field + "' must list at least one event type"
                    + " or pattern (e.g. \"account.*\" or \"*\").");
        }
        for (String pattern : patterns) {
            boolean known = pattern != null && (pattern.equals("*") || ALL.contains(pattern)
                    || pattern.endsWith(".*") && ALL.stream().anyMatch(type ->
                            type.startsWith(pattern.substring(0, pattern.length() - 1))));
            if (!known) {
                throw ProblemException.invalidField(field, "'" + pattern + "' in '" + field + "' is no known event"
                        + " type or pattern; known types: " + String.join(", ", ALL.stream().sorted().toList())
                        + ".");
            }
        }
        return patterns;
    }
}
