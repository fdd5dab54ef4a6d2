package dev.ministramanager.scheduling;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Database leases, one row per company and job in {@code status_lease}, so that several nodes on one database never
 * refresh (or reconcile) the same company at once. A lease is taken by an atomic conditional UPDATE; a crashed
 * holder's lease simply expires. After a scheduled run the lease is kept, without holder, until the next run is due,
 * so the other nodes' timers skip this period instead of repeating the work.
 */
public class RefreshLeases {

    private static final String TAKE_EXPIRED = SqlStatements.load("scheduling-lease-take-expired");
    private static final String TAKE_FREE = SqlStatements.load("scheduling-lease-take-free");
    private static final String RELEASE = SqlStatements.load("scheduling-lease-release");
    private static final String CREATE = SqlStatements.load("scheduling-lease-create");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String node;

    public RefreshLeases(DataSource dataSource, Clock clock, String node) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.node = node;
    }

    /** For a scheduled run: only when nobody holds the lease and the last run's period is over. */
    public boolean acquireWhenDue(String name, Duration maxRun) {
        ensure(name);
        Instant now = clock.instant();
        return jdbc.update(TAKE_EXPIRED, node, Timestamp.from(now.plus(maxRun)), name, Timestamp.from(now)) == 1;
    }

    /** On demand: whenever no run is in progress (a recent scheduled run does not matter). */
    public boolean acquireNow(String name, Duration maxRun) {
        ensure(name);
        Instant now = clock.instant();
        return jdbc.update(TAKE_FREE, node, Timestamp.from(now.plus(maxRun)), name, Timestamp.from(now)) == 1;
    }

    /** Ends our run; nobody starts a scheduled run before {@code notBefore}. */
    public void release(String name, Instant notBefore) {
        jdbc.update(RELEASE, Timestamp.from(notBefore), name, node);
    }

    private void ensure(String name) {
        try {
            jdbc.update(CREATE, name, Timestamp.from(Instant.EPOCH));
        } catch (DataIntegrityViolationException createdByAnotherNode) {
            // the row exists now, which is all this needed
        }
    }
}
