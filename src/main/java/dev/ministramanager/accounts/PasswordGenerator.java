package dev.ministramanager.accounts;

import java.security.SecureRandom;

/**
 * Subscriber passwords for accounts created without one. Subscribers type them on a remote control from a letter or
 * an SMS, so the alphabet leaves out characters that are easily confused (0/O, 1/l/I); each character still carries
 * over 5.8 bits, so the default length of 12 gives about 70 bits.
 */
public class PasswordGenerator {

    static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final SecureRandom random = new SecureRandom();
    private final int length;

    public PasswordGenerator(int length) {
        if (length < 8 || length > AccountRules.PASSWORD_MAX) {
            throw new IllegalArgumentException("mm.accounts.generated-password-length must be 8 to "
                    + AccountRules.PASSWORD_MAX + ", not " + length);
        }
        this.length = length;
    }

    public String generate() {
        char[] password = new char[length];
        for (int i = 0; i < length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(password);
    }
}
