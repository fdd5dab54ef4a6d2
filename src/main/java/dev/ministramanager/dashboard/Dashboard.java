package dev.ministramanager.dashboard;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The figures of the console's dashboard for a set of companies (one, or all the caller sees): accounts by sync
 * state, boxes online, open dead letters, the last tariff sync, a paused push, pushes in the last hour, and the last
 * 24 hours of pushes (by outcome, from the audit trail) and of boxes online (from the samples this class takes).
 */
public class Dashboard {

    private static final String PUSH_STATES = SqlStatements.load("dashboard-push-states");
    private static final String ONLINE = SqlStatements.load("dashboard-online");
    private static final String OPEN_DEAD_LETTERS = SqlStatements.load("dashboard-open-dead-letters");
    private static final String LAST_TARIFF_SYNCS = SqlStatements.load("dashboard-last-tariff-syncs");
    private static final String PUSH_PAUSES = SqlStatements.load("dashboard-push-pauses");
    private static final String PUSHES_LAST_HOUR = SqlStatements.load("dashboard-pushes-last-hour");
    private static final String PUSHES_BY_HOUR = SqlStatements.load("dashboard-pushes-by-hour");
    private static final String BOX_SAMPLES = SqlStatements.load("dashboard-box-samples");
    private static final String RECORD_SAMPLE = SqlStatements.load("dashboard-box-sample-record");
    private static final String PURGE_SAMPLES = SqlStatements.load("dashboard-box-samples-purge");

    private static final Duration DAY = Duration.ofHours(24);

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Duration samplePeriod;

    public Dashboard(DataSource dataSource, Clock clock, Duration samplePeriod) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.clock = clock;
        this.samplePeriod = samplePeriod;
    }

    /** The figures of the one company the request named, or else of all the caller sees. */
    public Map<String, Object> figures(Long companyId, List<Long> visibleCompanyIds) {
        List<Long> companyIds = companyId != null ? List.of(companyId) : visibleCompanyIds;
        Instant now = clock.instant();
        MapSqlParameterSource params = new MapSqlParameterSource("companies", companyIds)
                .addValue("hourAgo", Timestamp.from(now.minus(Duration.ofHours(1))))
                .addValue("dayAgo", Timestamp.from(now.minus(DAY)))
                .addValue("dayAgoMs", now.minus(DAY).toEpochMilli());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("companies", companyIds);
        figures.put("at", now);

        Map<String, Long> syncStates = new LinkedHashMap<>();
        for (String state : List.of("synced", "pending", "retrying", "dead", "draft", "discarded")) {
            syncStates.put(state, 0L);
        }
        jdbc.query(PUSH_STATES, params,
                rs -> {
                    syncStates.put(rs.getString(1), rs.getLong(2));
                });
        figures.put("accountsBySyncState", syncStates);

        figures.put("boxes", jdbc.queryForMap(ONLINE, params));
        figures.put("openDeadLetters", jdbc.queryForObject(OPEN_DEAD_LETTERS, params, Long.class));
        figures.put("lastTariffSync", jdbc.queryForList(LAST_TARIFF_SYNCS, params));
        figures.put("pausedPushes", jdbc.queryForList(PUSH_PAUSES, params));
        figures.put("pushesLastHour", jdbc.queryForObject(PUSHES_LAST_HOUR, params,
                Long.class));
        // hours as epoch seconds; grouped in an outer query, as H2 does not match a repeated expression in GROUP BY
        figures.put("pushesByHour", jdbc.queryForList(PUSHES_BY_HOUR, params));
        figures.put("boxesOnline", jdbc.queryForList(BOX_SAMPLES, params));
        return figures;
    }

    /**
     * Records every company's boxes online for the current sampling period (the same row from any node) and forgets
     * samples older than a day.
     */
    public void sample() {
        long now = clock.millis();
        long bucket = now - now % samplePeriod.toMillis();
        MapSqlParameterSource params = new MapSqlParameterSource("bucket", bucket)
                .addValue("dayAgoMs", now - DAY.toMillis());
        jdbc.update(RECORD_SAMPLE, params);
        jdbc.update(PURGE_SAMPLES, params);
    }
}
