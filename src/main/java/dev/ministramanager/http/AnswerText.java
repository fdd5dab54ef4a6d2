package dev.ministramanager.http;

/** Text that came in an answer from outside (a receiver's answer, Ministra's error text), as we keep it. */
public final class AnswerText {

    private AnswerText() {
    }

    /**
     * The text as both databases store it: a NUL, which PostgreSQL refuses (H2 stores it), becomes U+FFFD. Kept
     * otherwise as it came: it was not ours to correct, and a caller could not have.
     */
    public static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }
}
