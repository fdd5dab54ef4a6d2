package dev.ministramanager.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;


/**
 * Remembers, for a short time, which Authorization header values were verified and for whom, so that BCrypt (tens of
 * milliseconds by design) runs once per credential and period rather than on every request. Concurrent requests
 * with a credential not yet verified share one verification instead of each running BCrypt. Keys are HMACs under a
 * random per-process key: the cache never holds a credential itself. Failed verifications are not remembered. Any
 * change to users or tokens empties it; other nodes see such a change after at most the time to live.
 */
final class VerifiedCredentials {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(ApiPrincipal principal, long verifiedAtMillis, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Optional<ApiPrincipal>>> verifying =
            new ConcurrentHashMap<>();
    /** Counts {@link #forgetAll}: a verification that began before a change is not remembered after it. */
    private final AtomicLong changes = new AtomicLong();
    private final Duration timeToLive;
    private final Clock clock;
    private final HmacSha256 hmac;

    VerifiedCredentials(Duration timeToLive, Clock clock) {
        this.timeToLive = timeToLive;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.hmac = new HmacSha256(key);
    }

    /**
     * The principal this Authorization value was verified for: remembered, or found by {@code verify} (run once for
     * all concurrent requests with the same value). Empty when the credentials are not valid.
     */
    Optional<ApiPrincipal> resolve(String authorization, Supplier<Optional<ApiPrincipal>> verify) {
        String fingerprint = fingerprint(authorization);
        Entry entry = entries.get(fingerprint);
        long now = clock.millis();
        if (entry != null && entry.expiresAtMillis() >= now) {
            if (now - entry.verifiedAtMillis() >= timeToLive.toMillis() / 2) {
                renewAhead(fingerprint, verify);
            }
            return Optional.of(entry.principal());
        }
        CompletableFuture<Optional<ApiPrincipal>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<ApiPrincipal>> running = verifying.putIfAbsent(fingerprint, mine);
        if (running != null) {
            return await(running);
        }
        return verify(fingerprint, mine, verify);
    }

    /** Runs {@code verify} as the one verification of this fingerprint, remembering a valid result. */
    private Optional<ApiPrincipal> verify(String fingerprint, CompletableFuture<Optional<ApiPrincipal>> mine,
                                          Supplier<Optional<ApiPrincipal>> verify) {
        long changesBefore = changes.get();
        try {
            Optional<ApiPrincipal> principal = verify.get();
            principal.ifPresent(found -> remember(fingerprint, found, changesBefore));
            mine.complete(principal);
            return principal;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            verifying.remove(fingerprint, mine);
        }
    }

    /**
     * Verifies a credential in use again in the background once half its time to live has passed, so that steady
     * traffic never stops for BCrypt when the entry would run out (under load every request of the credential waited
     * for that one verification). A credential no longer valid is not renewed: its entry runs out as before.
     */
    private void renewAhead(String fingerprint, Supplier<Optional<ApiPrincipal>> verify) {
        CompletableFuture<Optional<ApiPrincipal>> mine = new CompletableFuture<>();
        if (verifying.putIfAbsent(fingerprint, mine) != null) {
            return;
        }
        CompletableFuture.runAsync(() -> verify(fingerprint, mine, verify));
    }

    void forgetAll() {
        changes.incrementAndGet();
        entries.clear();
    }

    private void remember(String fingerprint, ApiPrincipal principal, long changesBefore) {
        if (timeToLive.isZero() || changes.get() != changesBefore) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        long now = clock.millis();
        entries.put(fingerprint, new Entry(principal, now, now + timeToLive.toMillis()));
        if (changes.get() != changesBefore) {
            entries.remove(fingerprint);
        }
    }

    private static Optional<ApiPrincipal> await(CompletableFuture<Optional<ApiPrincipal>> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the credentials were being verified", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new IllegalStateException("The credentials could not be verified", e.getCause());
        }
    }

    private String fingerprint(String authorization) {
        return Base64.getEncoder().encodeToString(hmac.digest(authorization));
    }
}
