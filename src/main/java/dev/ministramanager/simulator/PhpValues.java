package dev.ministramanager.simulator;

import java.util.Map;
import java.util.regex.Pattern;

/** The few PHP value rules the REST handlers depend on: {@code empty()}, truthiness, {@code intval}, loose {@code !=}. */
final class PhpValues {

    private static final String WHITESPACE = "[ \\t\\n\\r\\x0B\\f]*";
    private static final Pattern NUMERIC =
            Pattern.compile(WHITESPACE + "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?" + WHITESPACE);

    private PhpValues() {
    }

    /** PHP {@code empty()}: null, "", "0" and an empty array. */
    static boolean isEmpty(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return s.isEmpty() || s.equals("0");
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return false;
    }

    static boolean isTruthy(Object value) {
        return !isEmpty(value);
    }

    /** A form value used where PHP expects a string; arrays read as "Array" (with a notice on the real server). */
    static String string(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof String s ? s : "Array";
    }

    /** PHP {@code intval} of a string: leading whitespace, sign and digits; anything else is 0. */
    static long intval(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? 0 : 1;
        }
        String s = string(value);
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long result = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && result < Long.MAX_VALUE / 10) {
            result = result * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -result : result;
    }

    /** PHP's loose {@code ==} between two strings: numeric strings compare as numbers. */
    static boolean looseEquals(String a, String b) {
        if (NUMERIC.matcher(a).matches() && NUMERIC.matcher(b).matches()) {
            return Double.parseDouble(a.strip()) == Double.parseDouble(b.strip());
        }
        return a.equals(b);
    }
}
