package dev.ministramanager.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one key, with a Mac per thread (looking one up costs more than the digest itself). */
final class HmacSha256 {

    private final ThreadLocal<Mac> macs;

    HmacSha256(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        });
    }

    byte[] digest(String text) {
        return macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
