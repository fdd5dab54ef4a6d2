package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Claims due pushes for this node's free worker slots. A claim is atomic in one statement ({@code UPDATE …
 * RETURNING} / {@code FINAL TABLE}), so no two nodes claim one account, and it is a lease, so a crashed node's
 * claims are taken over once their lease has run out.
 */
final class PushClaims {

    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final NamedParameterJdbcTemplate named;
    private final Clock clock;
    private final Duration lease;
    private final String claimSql;
    private final String node = "node-" + UUID.randomUUID();
    /**
     * Claimed pushes this node has not finished: the workers' and twice as many queued, so that a worker never waits
     * for the next claim, and claims never outrun the workers.
     */
    private final Semaphore slots;
    private final int batchWorthClaiming;

    PushClaims(NamedParameterJdbcTemplate named, Clock clock, PushSettings settings, String claimSql) {
        this.named = named;
        this.clock = clock;
        this.lease = settings.lease();
        this.claimSql = claimSql;
        this.slots = new Semaphore(3 * settings.workers());
        this.batchWorthClaiming = Math.max(1, settings.workers() / 2);
    }

    /** Claims due pushes for the free worker slots, waiting briefly for a slot when all are busy. */
    List<PushClaim> claim() throws InterruptedException {
        if (!slots.tryAcquire(250, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        // take every free slot; when only a few are free, wait briefly for more: one claim statement (one commit)
        // per pushed account would make the claim, not Ministra, the bottleneck, while the claims already queued
        // (up to a second batch of workers) keep the workers busy meanwhile
        int wanted = 1 + slots.drainPermits();
        long gatherUntil = System.nanoTime() + GATHER_NANOS;
        while (wanted < batchWorthClaiming && slots.tryAcquire(Math.max(0, gatherUntil - System.nanoTime()),
                TimeUnit.NANOSECONDS)) {
            wanted += 1 + slots.drainPermits();
        }
        List<PushClaim> claims = List.of();
        try {
            OffsetDateTime now = AccountPushes.utcNow(clock);
            String token = UUID.randomUUID().toString();
            List<Long> claimed = named.query(claimSql, new MapSqlParameterSource()
                            .addValue("token", token)
                            .addValue("owner", node)
                            .addValue("now", now)
                            .addValue("leaseUntil", now.plus(lease))
                            .addValue("limit", wanted),
                    (rs, i) -> rs.getLong(1));
            if (!claimed.isEmpty()) {
                // what each claimed account must look like, read in one statement for the whole batch
                claims = named.query(DesiredAccount.SELECT, new MapSqlParameterSource()
                                .addValue("token", token)
                                .addValue("ids", claimed.toArray(Long[]::new)),
                        (rs, i) -> new PushClaim(token, DesiredAccount.read(rs)));
            }
            return claims;
        } finally {
            slots.release(wanted - claims.size());
        }
    }

    /** A claimed push has failed, or succeeded and joined a batch to record: its worker slot is free. */
    void finished() {
        slots.release();
    }
}
