package dev.ministramanager.events;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Reads the outbox for {@code GET /events} and the SSE stream: events of the given companies after a sequence
 * number, optionally of some types. An event becomes readable {@code visibilityDelay} after it was recorded: a
 * transaction that committed later than a reader passed its sequence number would otherwise be skipped by that
 * reader (webhook deliveries, written in the event's own transaction, never are).
 */
public class EventFeed {

    private static final int PAGE_DEFAULT = 100;
    private static final int PAGE_MAX = 1000;
    private static final String PAGE = SqlStatements.load("events-page");
    private static final String NEWEST = SqlStatements.load("events-newest");

    private final NamedParameterJdbcTemplate named;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration visibilityDelay;

    public EventFeed(DataSource dataSource, ObjectMapper json, Clock clock, Duration visibilityDelay) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.json = json;
        this.clock = clock;
        this.visibilityDelay = visibilityDelay;
    }

    /** {@code GET /events?company=&after=&types=&limit=}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> page(Exchange exchange) {
        Long companyId = exchange.getVariable(ApiGate.COMPANY_ID, Long.class);
        List<Long> companies = companyId == null ? exchange.getVariable(ApiGate.COMPANY_IDS, List.class)
                : List.of(companyId);
        long after = after(exchange.getMessage().getHeader("after", String.class));
        List<String> types = types(exchange.getMessage().getHeader("types", String.class));
        int limit = limit(exchange.getMessage().getHeader("limit", String.class), PAGE_DEFAULT, PAGE_MAX);
        List<Map<String, Object>> items = read(companies, types, after, limit);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("next", items.isEmpty() ? after : items.get(items.size() - 1).get("sequence"));
        return answer;
    }

    public List<Map<String, Object>> read(List<Long> companies, List<String> types, long after, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("companies", companies)
                .addValue("after", after).addValue("limit", limit)
                .addValue("visibleBefore", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                        .minus(visibilityDelay));
        // a pattern is expanded to the known types it matches: one statement, whatever the patterns
        boolean everyType = types == null || types.contains("*");
        params.addValue("everyType", everyType).addValue("types", everyType ? List.of("*")
                : EventTypes.ALL.stream().filter(type -> EventTypes.matches(types, type)).sorted().toList());
        return named.query(PAGE, params, (rs, i) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("sequence", rs.getLong("seq"));
            event.put("id", rs.getString("event_id"));
            event.put("type", rs.getString("type"));
            event.put("companyId", rs.getLong("company_id"));
            event.put("subject", rs.getString("subject"));
            event.put("timestamp", rs.getObject("occurred_at", OffsetDateTime.class).toInstant().toString());
            try {
                event.put("data", json.readTree(rs.getString("data")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored event data is not JSON", e);
            }
            return event;
        });
    }

    /** The sequence number of the newest event recorded: where a stream that wants only what comes next starts. */
    public long newest() {
        Long newest = named.getJdbcTemplate().queryForObject(NEWEST, Long.class);
        return newest == null ? 0 : newest;
    }

    static long after(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long after = Long.parseLong(raw.trim());
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("after", "Parameter 'after' must be the sequence number of an event"
                + " (0 or more).");
    }

    static List<String> types(String raw) {
        return raw == null || raw.isBlank() ? null : EventTypes.requireKnown("types", EventTypes.patterns(raw));
    }

    /** A page size parameter: its default when absent, 400 naming {@code limit} outside 1 to {@code max}. */
    static int limit(String raw, int byDefault, int max) {
        if (raw == null) {
            return byDefault;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("limit", "Parameter 'limit' must be 1 to " + max + ".");
    }
}
