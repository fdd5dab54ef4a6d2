package dev.ministramanager.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a short time, which Authorization header values were verified and for whom, so that BCrypt (tens of
 * milliseconds by design) runs once per credential and period rather than on every request. Keys are HMACs under a
 * random per-process key: the cache never holds a credential itself. Any change to users or tokens empties it; other
 * nodes see such a change after at most the time to live.
 */
final class VerifiedCredentials {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(ApiPrincipal principal, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration timeToLive;
    private final Clock clock;
    private final SecretKeySpec hmacKey;

    VerifiedCredentials(Duration timeToLive, Clock clock) {
        this.timeToLive = timeToLive;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.hmacKey = new SecretKeySpec(key, "HmacSHA256");
    }

    Optional<ApiPrincipal> lookup(String authorization) {
        Entry entry = entries.get(fingerprint(authorization));
        if (entry == null || entry.expiresAtMillis() < clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(entry.principal());
    }

    void remember(String authorization, ApiPrincipal principal) {
        if (timeToLive.isZero()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(fingerprint(authorization), new Entry(principal, clock.millis() + timeToLive.toMillis()));
    }

    void forgetAll() {
        entries.clear();
    }

    private String fingerprint(String authorization) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return Base64.getEncoder().encodeToString(mac.doFinal(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
