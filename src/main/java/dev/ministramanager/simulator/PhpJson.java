package dev.ministramanager.simulator;

import java.util.List;
import java.util.Map;

/**
 * PHP's {@code json_encode} without flags: {@code \/} for slashes, {@code \\uXXXX} (lower-case hex) for everything
 * outside ASCII, no whitespace. Values: {@code null}, {@link Boolean}, {@link Integer}/{@link Long}, {@link String},
 * {@link List} (JSON array) and {@link Map} (JSON object, iteration order kept).
 */
final class PhpJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Thrown where PHP's json_encode fails (invalid UTF-8), which the server turns into an empty body. */
    static final class EncodingFailure extends RuntimeException {
        EncodingFailure() {
            super("Malformed UTF-8 characters, possibly incorrectly encoded", null, false, false);
        }
    }

    private PhpJson() {
    }

    static String encode(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c <= 0x7F) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        unicodeEscape(out, c);
                        unicodeEscape(out, s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new EncodingFailure();
                    } else {
                        unicodeEscape(out, c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
