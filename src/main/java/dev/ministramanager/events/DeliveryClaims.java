package dev.ministramanager.events;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Claims due deliveries for this node, with leases, and hands them to the workers
 * (routes/webhooks-delivery.camel.yaml).
 * Only the oldest pending delivery of an endpoint and ordering key is claimable, so an account's events go out one at
 * a time and in order. Deliveries are claimed in batches, up to {@value #PREFETCH} times an endpoint's concurrency
 * ahead, and wait here for a slot of their endpoint: at most {@code perEndpoint} of one endpoint are sent at once on
 * this node, and a slow endpoint holds back only its own deliveries. A claim that waited so long that its lease would
 * run out during the call is not sent: the lease runs out and the delivery is claimed again (by any node).
 * A delivery finishing, a batch of successes recorded and a committed event wake the claim at once.
 * A webhook disabled or deleted on this node takes its claimed and unsent deliveries with it: they are not sent, and
 * their claims are released. A stopping node (a Camel service: after the routes, before the data source) releases
 * the claims it did not send, so that another node sends them at once rather than after their leases.
 * (Over 300 lines: the claim, the endpoints' slots, withdrawing a webhook's claims and the release on shutdown share
 * one lock and one set of waiting deliveries.)
 */
public class DeliveryClaims extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryClaims.class);
    private static final String CANDIDATES = SqlStatements.load("webhooks-delivery-candidates");
    private static final String CLAIM = SqlStatements.load("webhooks-delivery-claim");
    private static final String CLAIMED = SqlStatements.load("webhooks-delivery-claimed");
    private static final String FLOOR = SqlStatements.load("webhooks-delivery-floor");
    private static final String RELEASE = SqlStatements.load("webhooks-delivery-release");
    private static final String RELEASE_NODE = SqlStatements.load("webhooks-delivery-release-node");
    /**
     * Claimed deliveries of one endpoint on this node: at most this many times its concurrency. A claim is made when
     * fewer than the workers wait, so each one takes about this many times the concurrency, less what is in flight
     * and waiting: at 4 (32 for a concurrency of 8: 8 in flight, up to 15 waiting) a claim took about 9, so one busy
     * endpoint at 570 events/s needed some 60 claims (three statements each) a second, and the claiming thread was
     * running or waiting for PostgreSQL nearly all the time on a loaded machine (JFR, load 30). A claim that waits
     * past what its lease allows is not sent, but claimed again.
     */
    private static final int PREFETCH = 8;
    /** How long a claim waits for work before the poll route takes over (it polls again). */
    private static final long POLL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLAIM_SPACING_MILLIS = 10;
    private static final long CLAIM_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(CLAIM_SPACING_MILLIS);
    /** How often the floor of the claim's walk is found again (a delivery replayed below it waits up to this). */
    private static final long FLOOR_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * The walk starts this many ids below the floor found: deliveries of transactions that had their ids but had not
     * committed when it was found are not left for the next floor.
     */
    private static final long FLOOR_MARGIN = 1_000;

    private final NamedParameterJdbcTemplate named;
    private final WebhookMessages messages;
    private final Clock clock;
    private final WebhookSettings settings;
    private final String node = "node-" + UUID.randomUUID();
    private final Semaphore wake = new Semaphore(0);
    /** Webhooks disabled or deleted on this node (until re-enabled): their claimed deliveries are not sent. */
    private final Set<Long> withdrawn = ConcurrentHashMap.newKeySet();
    /** Set when this node stops: nothing more is claimed or sent. */
    private volatile boolean stopping;
    /** False once the database had no more claimable deliveries, until a wake-up or the poll interval. */
    private volatile boolean maybeMore = true;
    /**
     * The claim walks waiting deliveries from this id on (webhooks-delivery-floor), found again every
     * {@link #FLOOR_REFRESH_NANOS}, or at the next claim when it is negative; only the polling thread writes it.
     */
    private volatile long floor = -1;
    private long floorFoundNanos;
    /** When the database was last asked; only the polling thread reads and writes it. */
    private long lastClaimNanos = System.nanoTime() - CLAIM_SPACING_NANOS;
    /** Per endpoint (webhook id): its deliveries being sent and those waiting for a slot. Guarded by this. */
    private final Map<Long, Endpoint> endpoints = new LinkedHashMap<>();
    /** Deliveries handed to the workers and not finished. Guarded by this. */
    private int sending;
    /** Deliveries claimed and waiting for their endpoint's slot. Guarded by this. */
    private int waiting;

    private static final class Endpoint {
        private int sending;
        private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    }

    private record Waiting(Delivery delivery, long sendByNanos) {
    }

    DeliveryClaims(DataSource dataSource, WebhookMessages messages, Clock clock, WebhookSettings settings) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.messages = messages;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The deliveries to send now: waiting ones whose endpoint has a free slot, and newly claimed ones. When there are
     * none, waits up to the poll interval for a wake-up (a delivery finished, successes recorded, an event committed).
     * The database is asked at most once per {@value #CLAIM_SPACING_MILLIS} ms, and not again after it had nothing
     * more until a wake-up or the poll interval: while events stream in, one claim takes several of them.
     */
    public List<Delivery> claim() throws InterruptedException {
        long deadline = System.nanoTime() + POLL_WAIT_NANOS;
        while (!stopping) {
            wake.drainPermits();
            List<Delivery> ready = ready();
            long now = System.nanoTime();
            boolean claimable = maybeMore && wantsMore(ready.isEmpty());
            if (claimable && now - lastClaimNanos >= CLAIM_SPACING_NANOS) {
                lastClaimNanos = now;
                claimFromDatabase();
                ready.addAll(ready());
                claimable = maybeMore && wantsMore(ready.isEmpty());
            }
            if (!ready.isEmpty()) {
                return ready;
            }
            long left = deadline - now;
            if (left <= 0) {
                // the next poll asks the database again: retries fall due without a wake-up
                maybeMore = true;
                return List.of();
            }
            wake.tryAcquire(claimable ? Math.min(left, lastClaimNanos + CLAIM_SPACING_NANOS - now) : left,
                    TimeUnit.NANOSECONDS);
        }
        return List.of();
    }

    /** Whether {@link #claim()} found any: the poll route claims again while it does. */
    public boolean any(List<Delivery> claimed) {
        return !claimed.isEmpty();
    }

    /** Work may be there: a delivery finished, successes were recorded (later events became claimable), events came. */
    public void wake() {
        maybeMore = true;
        wake.release();
    }

    /**
     * Asked by a worker before it sends: false when the delivery's webhook was disabled or deleted since the claim
     * (or this node is stopping); its claim is then released, unsent, and its slot freed.
     */
    public boolean stillWanted(Delivery delivery) {
        if (!stopping && !withdrawn.contains(delivery.webhookId())) {
            return true;
        }
        release(List.of(delivery));
        finished(delivery);
        return false;
    }

    /**
     * The webhook is disabled or deleted, once the current transaction (if any) commits: its deliveries claimed here
     * and not sent are dropped and their claims released; those handed to the workers are not sent
     * ({@link #stillWanted}).
     */
    void withdraw(long webhookId) {
        afterCommit(() -> {
            withdrawn.add(webhookId);
            List<Delivery> dropped = new ArrayList<>();
            synchronized (this) {
                Endpoint endpoint = endpoints.get(webhookId);
                if (endpoint != null) {
                    endpoint.waiting.forEach(next -> dropped.add(next.delivery()));
                    waiting -= endpoint.waiting.size();
                    endpoint.waiting.clear();
                    if (endpoint.sending == 0) {
                        endpoints.remove(webhookId);
                    }
                }
            }
            release(dropped);
        });
    }

    /** The webhook is enabled again, once the current transaction (if any) commits. */
    void reinstate(long webhookId) {
        afterCommit(() -> {
            withdrawn.remove(webhookId);
            // its waiting deliveries may lie below the floor
            floor = -1;
            wake();
        });
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private void release(List<Delivery> deliveries) {
        if (!deliveries.isEmpty()) {
            named.getJdbcTemplate().batchUpdate(RELEASE, deliveries.stream()
                    .map(d -> new Object[] {d.deliveryId(), d.claimToken()}).toList());
        }
    }

    @Override
    protected void doStop() {
        stopping = true;
        wake.release();
        synchronized (this) {
            endpoints.clear();
            waiting = 0;
        }
        int released = named.getJdbcTemplate().update(RELEASE_NODE, node);
        if (released > 0) {
            LOG.info("Released {} claimed webhook deliveries not sent on this node, for the other nodes", released);
        }
    }

    /** A delivery handed out by {@link #claim()} finished (whatever its outcome): its endpoint's slot is free. */
    void finished(Delivery delivery) {
        synchronized (this) {
            sending--;
            Endpoint endpoint = endpoints.get(delivery.webhookId());
            if (endpoint != null) {
                endpoint.sending--;
                if (endpoint.sending == 0 && endpoint.waiting.isEmpty()) {
                    endpoints.remove(delivery.webhookId());
                }
            }
        }
        wake();
    }

    /**
     * Few deliveries wait; or the workers have room and every waiting one waits for a slot of its endpoint (then the
     * claim looks for other endpoints' deliveries).
     */
    private synchronized boolean wantsMore(boolean nothingReady) {
        return waiting < settings.workers() || nothingReady && sending < 2 * settings.workers();
    }

    /**
     * Takes waiting deliveries whose endpoint has a free slot, as many as the workers' queue takes (one round more
     * than the workers). An endpoint served goes to the back of the line, so that endpoints take turns.
     */
    private synchronized List<Delivery> ready() {
        List<Delivery> ready = new ArrayList<>();
        int room = 2 * settings.workers() - sending;
        long now = System.nanoTime();
        for (Long webhook : new ArrayList<>(endpoints.keySet())) {
            if (room <= 0) {
                break;
            }
            Endpoint endpoint = endpoints.get(webhook);
            boolean served = false;
            while (endpoint.sending < settings.perEndpoint() && room > 0 && !endpoint.waiting.isEmpty()) {
                Waiting next = endpoint.waiting.poll();
                waiting--;
                if (next.sendByNanos() - now < 0) {
                    LOG.warn("{} waited longer than its lease allows for a call; it is sent after the lease",
                            next.delivery());
                    continue;
                }
                endpoint.sending++;
                sending++;
                room--;
                served = true;
                ready.add(next.delivery());
            }
            if (served || endpoint.sending == 0 && endpoint.waiting.isEmpty()) {
                endpoints.remove(webhook);
            }
            if (served) {
                endpoints.put(webhook, endpoint);
            }
        }
        return ready;
    }

    /** Claims due deliveries up to the batch size and each endpoint's share, and queues them for their endpoints. */
    private void claimFromDatabase() {
        Map<Long, Integer> room = new HashMap<>();
        // endpoints with as many claimed as they may have are left out, so that others' deliveries are found
        List<Long> full = new ArrayList<>();
        int wanted;
        synchronized (this) {
            wanted = settings.batchSize() - waiting;
            endpoints.forEach((webhook, endpoint) -> {
                int left = PREFETCH * settings.perEndpoint() - endpoint.sending - endpoint.waiting.size();
                room.put(webhook, left);
                if (left <= 0) {
                    full.add(webhook);
                }
            });
        }
        if (wanted <= 0) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        // cleared before asking: a wake-up while the statement runs sets it again
        maybeMore = false;
        if (floor < 0 || System.nanoTime() - floorFoundNanos > FLOOR_REFRESH_NANOS) {
            floorFoundNanos = System.nanoTime();
            floor = Math.max(0, named.getJdbcTemplate().queryForObject(FLOOR, Long.class) - FLOOR_MARGIN);
        }
        List<long[]> candidates = named.query(CANDIDATES, new MapSqlParameterSource("now", now)
                .addValue("full", full.toArray(Long[]::new)).addValue("limit", wanted).addValue("floor", floor),
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)});
        if (candidates.size() == wanted) {
            maybeMore = true;
        }
        List<Long> chosen = new ArrayList<>();
        for (long[] candidate : candidates) {
            int left = room.getOrDefault(candidate[1], PREFETCH * settings.perEndpoint());
            if (left > 0 && chosen.size() < wanted) {
                chosen.add(candidate[0]);
                room.put(candidate[1], left - 1);
            }
        }
        if (chosen.isEmpty()) {
            return;
        }
        long sendBy = System.nanoTime() + settings.lease().minus(settings.timeout()).toNanos();
        String token = UUID.randomUUID().toString();
        MapSqlParameterSource claim = new MapSqlParameterSource("ids", chosen.toArray(Long[]::new))
                .addValue("token", token).addValue("owner", node).addValue("now", now)
                .addValue("until", now.plus(settings.lease()));
        named.update(CLAIM, claim);
        List<Delivery> claimed = named.query(CLAIMED, claim, (rs, i) -> new Delivery(rs.getLong("id"),
                rs.getLong("webhook_id"), rs.getLong("company_id"), rs.getString("url"),
                messages.secret(rs.getString("secret_enc")),
                messages.previousSecret(rs.getString("previous_secret_enc"),
                        rs.getObject("previous_secret_until", OffsetDateTime.class), now),
                rs.getString("event_id"), rs.getString("type"), messages.payload(rs.getString("event_id"),
                        rs.getString("type"), rs.getLong("company_id"), rs.getString("subject"),
                        rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("data")),
                rs.getInt("attempts"), token, rs.getObject("failing_since") != null));
        synchronized (this) {
            for (Delivery delivery : claimed) {
                endpoints.computeIfAbsent(delivery.webhookId(), webhook -> new Endpoint()).waiting
                        .add(new Waiting(delivery, sendBy));
                waiting++;
            }
        }
    }
}
