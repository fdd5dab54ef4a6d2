package dev.ministramanager.accounts;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How the push pipeline behaves ({@code mm.accounts.*}).
 *
 * @param workers          pushes running at once on this node (bounded concurrency towards Ministra)
 * @param lease            how long a claimed push belongs to this node; a crashed node's claims are resumed after it
 * @param maxAttempts      failed attempts (transient failures) before a push is dead-lettered
 * @param retryInitial     delay before the first retry; each further retry waits {@code retryMultiplier} times longer
 * @param retryMultiplier  exponential backoff factor
 * @param retryMax         upper bound of a retry delay
 * @param retryJitter      random share (0..1) added to or taken from each delay, so that retries do not stampede
 * @param authPause        how long a company's pushes wait after its Ministra refused our credentials (HTTP 401)
 * @param sendExpiry       whether expiresAt is sent as Ministra's end_date
 * @param ministraZone     the time zone Ministra's end_date is written in
 */
record PushSettings(int workers, Duration lease, int maxAttempts, Duration retryInitial, double retryMultiplier,
                    Duration retryMax, double retryJitter, Duration authPause, boolean sendExpiry,
                    ZoneId ministraZone) {

    PushSettings {
        if (workers < 1 || maxAttempts < 1 || retryMultiplier < 1 || retryJitter < 0 || retryJitter > 1) {
            throw new IllegalArgumentException("mm.accounts.push.*: workers and max-attempts must be at least 1,"
                    + " retry-multiplier at least 1, retry-jitter between 0 and 1");
        }
    }

    Duration retryDelay(int failedAttempts, double random) {
        double base = retryInitial.toMillis() * Math.pow(retryMultiplier, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, retryMax.toMillis());
        double jittered = capped * (1 + retryJitter * (2 * random - 1));
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
