package dev.ministramanager.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * PHP's {@code parse_str} as Ministra applies it to every request body, whatever the Content-Type: {@code +} is a
 * space, {@code name[]} appends to an array, {@code name[key]} sets a key, the last duplicate scalar wins, and a
 * JSON document becomes one key with an empty value.
 *
 * <p>Values are {@link String} or {@code Map<String, Object>} (a PHP array, keys in insertion order). Bytes that
 * are not valid UTF-8 are kept as lone surrogates ({@code U+DC80..U+DCFF}) so that, as on the real server,
 * {@link PhpJson} fails on them and the response body comes out empty.
 */
final class PhpForm {

    private PhpForm() {
    }

    /** The parsed variables, in PHP's order. */
    static Map<String, Object> parse(String encoded) {
        Map<String, Object> vars = new LinkedHashMap<>();
        forEachPair(encoded, (name, value) -> assign(vars, name, value));
        return vars;
    }

    /** The raw pairs as sent (names not rewritten), grouped by name, for the write log. */
    static Map<String, List<String>> rawPairs(String encoded) {
        Map<String, List<String>> pairs = new LinkedHashMap<>();
        forEachPair(encoded, (name, value) -> pairs.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        pairs.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return pairs;
    }

    /** Splits on {@code &} and the first {@code =} of each pair, decoding both sides; empty pairs are skipped. */
    private static void forEachPair(String encoded, BiConsumer<String, String> action) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&", -1)) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                action.accept(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assign(Map<String, Object> vars, String name, String value) {
        int bracket = name.indexOf('[');
        String base = bracket > 0 ? name.substring(0, bracket) : name;
        base = stripLeadingSpaces(base).replace('.', '_').replace(' ', '_');
        if (base.isEmpty()) {
            return;
        }
        if (bracket <= 0 || name.indexOf(']', bracket) < 0) {
            // "a[b" has no closing bracket: PHP turns the '[' into '_' and keeps a scalar
            vars.put(bracket > 0 ? base + "_" + name.substring(bracket + 1) : base, value);
            return;
        }
        String key = name.substring(bracket + 1, name.indexOf(']', bracket));
        Object existing = vars.get(base);
        Map<String, Object> array = existing instanceof Map ? (Map<String, Object>) existing : new LinkedHashMap<>();
        if (key.isEmpty()) {
            array.put(String.valueOf(nextIndex(array)), value);
        } else {
            array.put(key, value);
        }
        vars.put(base, array);
    }

    private static int nextIndex(Map<String, Object> array) {
        int next = 0;
        for (String key : array.keySet()) {
            try {
                next = Math.max(next, Integer.parseInt(key) + 1);
            } catch (NumberFormatException notNumeric) {
                // string keys do not move PHP's next index
            }
        }
        return next;
    }

    private static String stripLeadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    /** PHP urldecode: {@code +} is a space, {@code %xx} a byte, malformed escapes stay as they are. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                bytes.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        return utf8(bytes.toByteArray());
    }

    /** UTF-8 bytes to a string; invalid input keeps every byte above 0x7F as a lone surrogate. */
    static String utf8(byte[] bytes) {
        boolean ascii = true;
        for (int i = 0; i < bytes.length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException invalid) {
            StringBuilder escaped = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                escaped.append(b >= 0 ? (char) b : (char) (0xDC00 + (b & 0xFF)));
            }
            return escaped.toString();
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
