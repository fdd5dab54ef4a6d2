package dev.ministramanager.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ApiResponses.RetryLaterProblem;
import dev.ministramanager.api.ProblemException;

/**
 * Limits failed authentications per user name and per source address: after {@code limitPerName} (per address:
 * {@code limitPerAddress}, higher, as many clients may share an address) failures within {@code window} (counted
 * from the first), further attempts from that name or address are answered 429 with
 * Retry-After until the window ends, without verifying anything, even correct credentials; a success clears the
 * user name's count. The start of each lock is audited. Counters live in this node's memory (Caffeine: bounded and
 * expiring, so a flood of invented names cannot exhaust it); with several nodes each limits on its own.
 */
public final class FailedAuthentications {

    private static final int MAX_KEYS = 100_000;

    private record Failures(AtomicInteger count, long startedNanos) {
    }

    private final int limitPerName;
    private final int limitPerAddress;
    private final Duration window;
    private final Ticker ticker;
    private final AuditTrail audit;
    private final Cache<String, Failures> failures;

    FailedAuthentications(int limitPerName, int limitPerAddress, Duration window, Ticker ticker, AuditTrail audit) {
        this.limitPerName = limitPerName;
        this.limitPerAddress = limitPerAddress;
        this.window = window;
        this.ticker = ticker;
        this.audit = audit;
        this.failures = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(window).ticker(ticker).build();
    }

    /** 429 when the user name (may be null, e.g. for a bearer token) or the source address is locked. */
    void refuseIfLocked(String username, String address) {
        long retryAfter = Math.max(secondsLocked(userKey(username), limitPerName),
                secondsLocked(addressKey(address), limitPerAddress));
        if (retryAfter > 0) {
            throw new TooManyFailures(retryAfter);
        }
    }

    /** Counts a failure; the one that reaches the limit locks the name or address, audited. */
    void failed(String username, String address) {
        count(userKey(username), limitPerName, username, address);
        count(addressKey(address), limitPerAddress, username, address);
    }

    void succeeded(String username) {
        String key = userKey(username);
        if (key != null) {
            failures.invalidate(key);
        }
    }

    private void count(String key, int limit, String username, String address) {
        if (key == null) {
            return;
        }
        Failures current = failures.get(key, k -> new Failures(new AtomicInteger(), ticker.read()));
        if (current.count().incrementAndGet() == limit) {
            audit.record(username == null ? "anonymous" : username, null, "authentication", key, "lock", "locked",
                    Map.of("failures", limit, "windowSeconds", window.toSeconds(), "address", String.valueOf(address)));
        }
    }

    private long secondsLocked(String key, int limit) {
        Failures current = key == null ? null : failures.getIfPresent(key);
        if (current == null || current.count().get() < limit) {
            return 0;
        }
        long remainingNanos = window.toNanos() - (ticker.read() - current.startedNanos());
        return remainingNanos <= 0 ? 0 : Math.max(1, (remainingNanos + 999_999_999L) / 1_000_000_000L);
    }

    private static String userKey(String username) {
        return username == null || username.isEmpty() ? null : "user:" + username.toLowerCase(java.util.Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null || address.isEmpty() ? null : "address:" + address;
    }

    /** 429 with Retry-After. */
    static final class TooManyFailures extends ProblemException implements RetryLaterProblem {
        private final long retryAfterSeconds;

        TooManyFailures(long retryAfterSeconds) {
            super(429, "Too many requests", "Too many failed authentications; try again in " + retryAfterSeconds
                    + " seconds.", Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
