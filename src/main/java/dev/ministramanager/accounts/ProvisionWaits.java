package dev.ministramanager.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The wait of {@code POST /provision?wait=<seconds>}: an {@link AsyncProcessor} step that holds no thread while it
 * waits. The exchange is completed when the account's push settles (synced or dead), or when the wait runs out: a
 * push recorded on this node signals its waiters at once ({@link #recorded}, {@link #recordedFailure}); a push
 * recorded by another node sharing the database is seen by one check of all waiting accounts every
 * {@value #CHECK_MILLIS} ms (one statement, whatever the number of waits); the wait's end is a Vert.x timer. The
 * route then continues on a Vert.x worker thread, never on an event loop or on the push worker that signalled.
 */
public class ProvisionWaits extends AsyncProcessorSupport {

    /** Exchange variable: the {@link Wait} a provision asks for. */
    public static final String WAIT = "provisionWait";
    static final long CHECK_MILLIS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionWaits.class);
    private static final String PUSH_STATES = SqlStatements.load("accounts-push-states");

    /** Waiting for account {@code accountId} to settle until {@code deadlineNanos} ({@link System#nanoTime()}). */
    record Wait(long accountId, boolean settled, long deadlineNanos) {
    }

    private final NamedParameterJdbcTemplate named;
    private final Supplier<Vertx> vertx;
    private final Map<Long, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean checkScheduled;

    /** @param vertx the HTTP server's Vert.x (bound in the registry after this is built) */
    public ProvisionWaits(DataSource dataSource, Supplier<Vertx> vertx) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.vertx = vertx;
    }

    private final class Waiter {
        final long accountId;
        final AsyncCallback callback;
        final AtomicBoolean done = new AtomicBoolean();
        volatile long timer = -1;

        Waiter(long accountId, AsyncCallback callback) {
            this.accountId = accountId;
            this.callback = callback;
        }

        /** Continues the exchange on a worker thread, once. */
        void finish() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            forget(this);
            Vertx server = vertx.get();
            if (timer >= 0) {
                server.cancelTimer(timer);
            }
            server.executeBlocking(() -> {
                callback.done(false);
                return null;
            }, false);
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Wait wait = exchange.getVariable(WAIT, Wait.class);
        long remainingMillis = wait == null ? 0
                : TimeUnit.NANOSECONDS.toMillis(wait.deadlineNanos() - System.nanoTime());
        if (wait == null || wait.settled() || remainingMillis <= 0) {
            callback.done(true);
            return true;
        }
        Vertx server = vertx.get();
        scheduleChecks(server);
        Waiter waiter = new Waiter(wait.accountId(), callback);
        waiter.timer = server.setTimer(remainingMillis, ignored -> waiter.finish());
        waiting.compute(wait.accountId(), (id, waiters) -> {
            Set<Waiter> all = waiters != null ? waiters : ConcurrentHashMap.newKeySet();
            all.add(waiter);
            return all;
        });
        if (waiter.done.get()) {
            // its timer ran out before it was listed
            forget(waiter);
        }
        // the push may have been recorded between the provision's read and now: look once more
        checkSoon(server, List.of(wait.accountId()));
        return false;
    }

    private void forget(Waiter waiter) {
        waiting.computeIfPresent(waiter.accountId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** The record route's signal: these pushes (exchanges of the batch) succeeded and were recorded on this node. */
    public void recorded(List<Exchange> pushes) {
        List<Long> waited = new ArrayList<>();
        for (Exchange push : pushes) {
            PushClaim claim = push.getVariable(AccountPushes.CLAIM, PushClaim.class);
            if (claim != null && waiting.containsKey(claim.accountId())) {
                waited.add(claim.accountId());
            }
        }
        if (!waited.isEmpty()) {
            checkSoon(vertx.get(), waited);
        }
    }

    /** The failed push route's signal: this push's failure was recorded (perhaps as dead) on this node. */
    public void recordedFailure(Exchange exchange) {
        PushClaim claim = exchange.getMessage().getBody(PushClaim.class);
        if (claim != null && waiting.containsKey(claim.accountId())) {
            checkSoon(vertx.get(), List.of(claim.accountId()));
        }
    }

    private void scheduleChecks(Vertx server) {
        if (checkScheduled) {
            return;
        }
        synchronized (this) {
            if (!checkScheduled) {
                server.setPeriodic(CHECK_MILLIS, ignored -> {
                    if (!waiting.isEmpty() && checking.compareAndSet(false, true)) {
                        server.executeBlocking(() -> {
                            try {
                                check(List.copyOf(waiting.keySet()));
                            } finally {
                                checking.set(false);
                            }
                            return null;
                        }, false);
                    }
                });
                checkScheduled = true;
            }
        }
    }

    private void checkSoon(Vertx server, Collection<Long> accountIds) {
        server.executeBlocking(() -> {
            check(accountIds);
            return null;
        }, false);
    }

    /** Finishes the waits of those accounts whose push has settled (or which are gone). */
    private void check(Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return;
        }
        Map<Long, String> states = new HashMap<>();
        try {
            named.query(PUSH_STATES, Map.of("ids", accountIds),
                    (RowCallbackHandler) rs -> states.put(rs.getLong(1), rs.getString(2)));
        } catch (RuntimeException e) {
            // the next check tries again; the wait's timer ends it in any case
            LOG.debug("Provision waits not checked: {}", e.toString());
            return;
        }
        for (Long accountId : accountIds) {
            String state = states.get(accountId);
            if (state == null || state.equals("synced") || state.equals("dead")) {
                Set<Waiter> settled = waiting.remove(accountId);
                if (settled != null) {
                    settled.forEach(Waiter::finish);
                }
            }
        }
    }
}
