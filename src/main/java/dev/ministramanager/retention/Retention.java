package dev.ministramanager.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Removes what has outlived its retention, kind by kind: each statement ({@code sql/retention-<kind>.sql}) deletes at
 * most one batch of the oldest rows in its own short transaction, and runs again until a batch comes back short, so
 * that no purge holds locks for long. What was removed is counted in {@code mm_retention_deleted_rows_total{kind}}.
 */
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** One kind of record and how long it is kept. */
    public record Kind(String name, Duration keep) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int batchSize;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, String> statements = new LinkedHashMap<>();
    private final Map<String, Counter> deleted = new LinkedHashMap<>();

    public Retention(DataSource dataSource, Clock clock, int batchSize, List<Kind> kinds, MeterRegistry metrics) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("mm.retention.batch-size must be at least 1");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.batchSize = batchSize;
        for (Kind kind : kinds) {
            if (kind.keep().isNegative() || kind.keep().isZero()) {
                throw new IllegalArgumentException("The retention of " + kind.name() + " must be positive");
            }
            this.kinds.put(kind.name(), kind);
            statements.put(kind.name(), SqlStatements.load("retention-" + kind.name()));
            deleted.put(kind.name(), Counter.builder("mm.retention.deleted.rows")
                    .description("Rows removed by the retention job, by kind").tag("kind", kind.name())
                    .register(metrics));
        }
    }

    /** The kinds in the order they are purged (findings of a run before the run). */
    public List<String> kinds() {
        return List.copyOf(kinds.keySet());
    }

    /** Deletes every row of this kind older than its retention, batch by batch; answers how many. */
    public long purge(String name) {
        Kind kind = kinds.get(name);
        OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(kind.keep());
        String statement = statements.get(name);
        long total = 0;
        int removed;
        do {
            removed = jdbc.update(statement, cutoff, batchSize);
            total += removed;
            deleted.get(name).increment(removed);
        } while (removed == batchSize);
        if (total > 0) {
            LOG.info("Retention removed {} {} older than {}", total, name, cutoff);
        }
        return total;
    }
}
