package dev.ministramanager.api;

import java.util.Locale;
import java.util.Map;

/**
 * The one rule every piece of text a client sends must follow, wherever it arrives (JSON string members, query
 * parameters, path segments): no NUL and no other control character but tab, line feed and carriage return, and no
 * lone UTF-16 surrogate. PostgreSQL refuses NUL outright (a 500 where it reached SQL), H2 stores it, and a lone
 * surrogate is stored by H2 but turned into '?' by PostgreSQL's UTF-8 encoding and then pushed to Ministra; so the
 * text is refused before anything runs, the same on both databases. Fields with narrower alphabets (logins, user
 * names, MACs) check those on top of this.
 */
public final class TextRules {

    private TextRules() {
    }

    /** 400 naming {@code field}, with the position (1-based, in characters) and code point of the first offence. */
    public static void check(String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String what = null;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                what = "a lone UTF-16 surrogate";
            } else if (Character.isLowSurrogate(c)) {
                what = "a lone UTF-16 surrogate";
            } else if (c == 0) {
                what = "a NUL character";
            } else if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                what = "a control character";
            }
            if (what != null) {
                String found = String.format(Locale.ROOT, "U+%04X", (int) c);
                throw new ProblemException(400, "Invalid request", "'" + field + "' contains " + what + " (" + found
                        + " at position " + (i + 1) + ").", Map.of("field", field, "position", i + 1,
                        "codePoint", found));
            }
        }
    }

    /** Single-line text (names, user names): {@link #check} and no line break or tab either. */
    public static void checkSingleLine(String field, String value) {
        check(field, value);
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\t' || c == '\n' || c == '\r') {
                    String found = String.format(Locale.ROOT, "U+%04X", (int) c);
                    throw new ProblemException(400, "Invalid request", "'" + field + "' must be one line (" + found
                            + " at position " + (i + 1) + ").", Map.of("field", field, "position", i + 1,
                            "codePoint", found));
                }
            }
        }
    }
}
