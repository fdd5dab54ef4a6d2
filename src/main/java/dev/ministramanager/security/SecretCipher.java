package dev.ministramanager.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the service must be able to read back (Ministra API passwords, subscriber passwords) with
 * AES-256-GCM. Stored form: base64 of a 12-byte random nonce followed by the ciphertext and its 16-byte tag.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    /** A Cipher per thread, initialised anew for each use: looking one up costs more than the AES itself. */
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });
    private final HmacSha256 digests;

    public SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("The secret key must be 32 bytes (256 bits), base64-encoded");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.digests = new HmacSha256(key);
    }

    public String encrypt(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * A keyed SHA-256 digest (HMAC, hex) of the text, for fingerprints of requests that may carry secrets: it can be
     * compared later but, without the secret key, not guessed from the database.
     */
    public String keyedDigest(String text) {
        return java.util.HexFormat.of().formatHex(digests.digest(text));
    }

    public String decrypt(String stored) {
        byte[] all = Base64.getDecoder().decode(stored);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "A stored secret cannot be decrypted: was the secret key (mm.secret-key) changed?", e);
        }
    }
}
