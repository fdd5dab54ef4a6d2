package dev.ministramanager.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 of HMAC-SHA256, keyed with the base64-decoded part of the
 * {@code whsec_} secret, over {@code <webhook-id>.<webhook-timestamp>.<body>}. Several signatures (during a secret
 * rotation) are sent space-separated in one {@code webhook-signature} header; a receiver accepts any that verifies.
 */
public final class WebhookSignature {

    /** One HMAC-SHA256 per thread, keyed again for each signature (cheaper than a new instance each time). */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    });

    private WebhookSignature() {
    }

    public static String sign(String secret, String id, long timestampSeconds, String body) {
        String encodedKey = secret.startsWith(Webhooks.SECRET_PREFIX)
                ? secret.substring(Webhooks.SECRET_PREFIX.length()) : secret;
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encodedKey), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The webhook secret is no HMAC key", e);
        }
    }
}
