package dev.ministramanager.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for an outcome instead of for a time: polls until the condition holds and fails with what was last seen
 * when it does not within the patience. Built on Awaitility; polls in the test's own thread, every 50 ms, starting
 * at once. What the probe throws fails the test at once.
 */
public final class Eventually {

    /** How long a test waits for an outcome; generous, because the machine often runs at a load of 15–20. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Eventually() {
    }

    public static void eventually(String what, Callable<Boolean> condition) {
        eventually(what, PATIENCE, condition);
    }

    public static void eventually(String what, Duration within, Callable<Boolean> condition) {
        eventually(what, within, condition, Boolean.TRUE::equals);
    }

    /** Polls {@code probe} until {@code until} accepts what it answers; returns that answer. */
    public static <T> T eventually(String what, Callable<T> probe, Predicate<? super T> until) {
        return eventually(what, PATIENCE, probe, until);
    }

    public static <T> T eventually(String what, Duration within, Callable<T> probe, Predicate<? super T> until) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return Awaitility.await(what).atMost(within).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL).until(() -> {
                        T seen = probe.call();
                        last.set(seen);
                        return seen;
                    }, until::test);
        } catch (ConditionTimeoutException timedOut) {
            throw new AssertionError("Not within " + within.toSeconds() + " s: " + what + "; last seen " + last.get(),
                    timedOut);
        }
    }

    /**
     * A negative: {@code condition} holds at every poll throughout the window (e.g. "no write reached Ministra"),
     * and the test fails at the first poll where it does not. The window is the one fixed wait a test may have: it
     * is how long the service had to do what it must not do, so each caller says why its length is enough.
     */
    public static void throughout(String what, Duration window, Callable<Boolean> condition) {
        long end = System.nanoTime() + window.toNanos();
        while (true) {
            boolean holds;
            try {
                holds = Boolean.TRUE.equals(condition.call());
            } catch (Exception e) {
                throw new AssertionError("Probe failed while checking: " + what, e);
            }
            if (!holds) {
                throw new AssertionError("Not throughout " + window.toMillis() + " ms: " + what);
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            pause(Math.min(POLL_INTERVAL.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    /**
     * A fixed pause, where time itself is what a test needs (a rate measured over a window, a kill some seconds
     * after a write); to wait for an outcome, use {@link #eventually}; to show that nothing happens,
     * {@link #throughout}.
     */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
