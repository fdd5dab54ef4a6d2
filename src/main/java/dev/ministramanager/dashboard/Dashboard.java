package dev.ministramanager.dashboard;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The figures of the console's dashboard for a set of companies (one, or all the caller sees): accounts by sync
 * state, boxes online, open dead letters, the last tariff sync, a paused push, pushes in the last hour, and the last
 * 24 hours of pushes (by outcome, from the audit trail) and of boxes online (from the samples this class takes).
 */
public class Dashboard {

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
        jdbc.query("SELECT p.state, COUNT(*) FROM account a JOIN account_push p ON p.account_id = a.id"
                + " WHERE a.deleted_at IS NULL AND a.company_id IN (:companies) GROUP BY p.state", params,
                rs -> {
                    syncStates.put(rs.getString(1), rs.getLong(2));
                });
        figures.put("accountsBySyncState", syncStates);

        figures.put("boxes", jdbc.queryForMap("SELECT"
                + " COALESCE(SUM(CASE WHEN s.online = TRUE THEN 1 ELSE 0 END), 0) AS \"online\","
                + " COALESCE(SUM(CASE WHEN s.online = FALSE THEN 1 ELSE 0 END), 0) AS \"offline\","
                + " COALESCE(SUM(CASE WHEN s.online IS NULL THEN 1 ELSE 0 END), 0) AS \"unknown\""
                + " FROM account a LEFT JOIN account_remote_state s ON s.account_id = a.id"
                + " WHERE a.deleted_at IS NULL AND a.company_id IN (:companies)", params));
        figures.put("openDeadLetters", jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter"
                + " WHERE status = 'open' AND company_id IN (:companies)", params, Long.class));
        figures.put("lastTariffSync", jdbc.queryForList("SELECT company_id AS \"companyId\", outcome,"
                + " started_at AS \"startedAt\", finished_at AS \"finishedAt\", error_kind AS \"errorKind\""
                + " FROM tariff_sync_run r WHERE company_id IN (:companies) AND id = (SELECT MAX(id)"
                + " FROM tariff_sync_run l WHERE l.company_id = r.company_id) ORDER BY company_id", params));
        figures.put("pausedPushes", jdbc.queryForList("SELECT company_id AS \"companyId\","
                + " paused_until AS \"pausedUntil\", reason FROM push_pause WHERE company_id IN (:companies)"
                + " AND paused_until > CURRENT_TIMESTAMP ORDER BY company_id", params));
        figures.put("pushesLastHour", jdbc.queryForObject("SELECT COUNT(*) FROM audit_event"
                + " WHERE action = 'push' AND company_id IN (:companies) AND occurred_at > :hourAgo", params,
                Long.class));
        // hours as epoch seconds; grouped in an outer query, as H2 does not match a repeated expression in GROUP BY
        figures.put("pushesByHour", jdbc.queryForList("SELECT hour_start AS \"hour\","
                + " SUM(CASE WHEN action = 'push' THEN 1 ELSE 0 END) AS \"succeeded\","
                + " SUM(CASE WHEN action = 'dead-letter' THEN 1 ELSE 0 END) AS \"deadLettered\""
                + " FROM (SELECT CAST(FLOOR(EXTRACT(EPOCH FROM occurred_at) / 3600) AS BIGINT) * 3600 AS hour_start,"
                + " action FROM audit_event WHERE action IN ('push', 'dead-letter') AND company_id IN (:companies)"
                + " AND occurred_at > :dayAgo) e GROUP BY hour_start ORDER BY hour_start", params));
        figures.put("boxesOnline", jdbc.queryForList("SELECT bucket_ms / 1000 AS \"at\", SUM(online_boxes) AS \"online\","
                + " SUM(offline_boxes) AS \"offline\" FROM dashboard_box_sample WHERE company_id IN (:companies)"
                + " AND bucket_ms > :dayAgoMs GROUP BY bucket_ms ORDER BY bucket_ms", params));
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
        jdbc.update("MERGE INTO dashboard_box_sample t USING (SELECT a.company_id, "
                + " SUM(CASE WHEN s.online = TRUE THEN 1 ELSE 0 END) AS online_boxes,"
                + " SUM(CASE WHEN s.online = FALSE THEN 1 ELSE 0 END) AS offline_boxes,"
                + " SUM(CASE WHEN s.online IS NULL THEN 1 ELSE 0 END) AS unknown_boxes"
                + " FROM account a LEFT JOIN account_remote_state s ON s.account_id = a.id"
                + " WHERE a.deleted_at IS NULL GROUP BY a.company_id) c"
                + " ON t.company_id = c.company_id AND t.bucket_ms = :bucket"
                + " WHEN MATCHED THEN UPDATE SET online_boxes = c.online_boxes, offline_boxes = c.offline_boxes,"
                + " unknown_boxes = c.unknown_boxes"
                + " WHEN NOT MATCHED THEN INSERT (company_id, bucket_ms, online_boxes, offline_boxes, unknown_boxes)"
                + " VALUES (c.company_id, :bucket, c.online_boxes, c.offline_boxes, c.unknown_boxes)", params);
        jdbc.update("DELETE FROM dashboard_box_sample WHERE bucket_ms < :dayAgoMs", params);
    }
}
