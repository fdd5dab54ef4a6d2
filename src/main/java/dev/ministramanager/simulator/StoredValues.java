package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the {@code users} table keeps what a request sends: MySQL's non-strict VARCHAR and DATETIME columns, and
 * Ministra's password hash.
 */
final class StoredValues {

    private static final Pattern DATE_TIME =
            Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?)?");

    private StoredValues() {
    }

    static String passwordHash(String password, long rowId) {
        return md5(md5(password) + rowId);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JRE", e);
        }
    }

    /** A non-strict MySQL VARCHAR(n): longer values are cut. */
    static String varchar(Object value, int length) {
        String s = PhpValues.string(value);
        return s.codePointCount(0, s.length()) <= length ? s : s.substring(0, s.offsetByCodePoints(0, length));
    }

    /** A non-strict MySQL DATETIME: a date alone gets midnight, anything unparsable the zero date. */
    static String mysqlDateTime(String value) {
        Matcher m = DATE_TIME.matcher(value.strip());
        if (!m.matches()) {
            return Account.ZERO_DATE;
        }
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
    }
}
