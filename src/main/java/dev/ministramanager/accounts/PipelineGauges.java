package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.persistence.RecentReads;
import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What operators alert on, read from the database (so every node reports the whole installation's state):
 * {@code mm_accounts_push_backlog{state}} (accounts waiting for a push: pending, retrying),
 * {@code mm_accounts_push_oldest_due_seconds} (how long the longest-waiting due push has been due; 0 with none) and
 * {@code mm_dead_letters_open}. A scrape reads at most once per {@link #FRESHNESS}.
 */
class PipelineGauges {

    static final Duration FRESHNESS = Duration.ofSeconds(5);

    private record Backlog(Map<String, Long> accounts, OffsetDateTime oldestDue, long openDeadLetters) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String backlogSql = SqlStatements.load("push-backlog");
    private final String deadLettersSql = SqlStatements.load("dead-letters-open");
    private final RecentReads<String, Backlog> reads = new RecentReads<>(FRESHNESS);

    PipelineGauges(DataSource dataSource, Clock clock, MeterRegistry metrics) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        for (String state : new String[] {"pending", "retrying"}) {
            Gauge.builder("mm.accounts.push.backlog", this, gauges -> gauges.read().accounts().getOrDefault(state, 0L))
                    .description("Accounts waiting for a push to Ministra, by state").tag("state", state)
                    .register(metrics);
        }
        Gauge.builder("mm.accounts.push.oldest.due", this, PipelineGauges::oldestDueSeconds)
                .description("How long the longest-waiting due push has been due (0: none is due)")
                .baseUnit("seconds").register(metrics);
        Gauge.builder("mm.dead.letters.open", this, gauges -> gauges.read().openDeadLetters())
                .description("Open dead letters waiting for an operator").register(metrics);
    }

    private double oldestDueSeconds() {
        OffsetDateTime oldest = read().oldestDue();
        if (oldest == null) {
            return 0;
        }
        return Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toMillis() / 1000.0);
    }

    private Backlog read() {
        return reads.get("backlog", key -> {
            Map<String, Long> accounts = new HashMap<>();
            OffsetDateTime[] oldest = {null};
            jdbc.query(backlogSql, rs -> {
                accounts.put(rs.getString("state"), rs.getLong("accounts"));
                OffsetDateTime due = rs.getObject("oldest_due", OffsetDateTime.class);
                if (due != null && (oldest[0] == null || due.isBefore(oldest[0]))) {
                    oldest[0] = due;
                }
            });
            Long open = jdbc.queryForObject(deadLettersSql, Long.class);
            return new Backlog(accounts, oldest[0], open == null ? 0 : open);
        });
    }
}
