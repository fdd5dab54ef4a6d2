package dev.ministramanager.api;

import org.apache.camel.Exchange;

/**
 * Keyset paging of a list answer: the query parameters {@code after} (the last id of the previous page) and
 * {@code limit}. A page is read with one row more than the limit, to know whether another page follows.
 */
public record PageRequest(long after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static PageRequest of(Exchange exchange) {
        return new PageRequest(number(exchange, "after", 0, 0, Long.MAX_VALUE),
                (int) number(exchange, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    private static long number(Exchange exchange, String name, long fallback, long min, long max) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidField(name, name + " must be a number between " + min + " and " + max + ".");
    }
}
