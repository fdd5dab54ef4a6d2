package dev.ministramanager.simulator;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A non-unique index on one column of the {@code users} table under MySQL's utf8_general_ci collation with PAD
 * SPACE: case, accents and trailing spaces do not count. Each bucket keeps its rows in table (id) order.
 */
final class CollatedIndex {

    private static final Pattern NON_SPACING_MARKS = Pattern.compile("\\p{Mn}+");

    private final Map<String, List<Account>> buckets = new HashMap<>();

    void clear() {
        buckets.clear();
    }

    void add(String value, Account account) {
        List<Account> bucket = buckets.computeIfAbsent(collationKey(value), k -> new ArrayList<>(1));
        int at = bucket.size();
        while (at > 0 && bucket.get(at - 1).id > account.id) {
            at--;
        }
        bucket.add(at, account);
    }

    void remove(String value, Account account) {
        String key = collationKey(value);
        List<Account> bucket = buckets.get(key);
        if (bucket != null) {
            bucket.remove(account);
            if (bucket.isEmpty()) {
                buckets.remove(key);
            }
        }
    }

    /** The first row (in table order) whose value collates equal, or null. */
    Account first(String value) {
        List<Account> found = buckets.get(collationKey(value));
        return found == null || found.isEmpty() ? null : found.get(0);
    }

    /** Rows whose value collates equal to one of these, in table order. */
    List<Account> find(List<String> values) {
        if (values.size() == 1) {
            List<Account> found = buckets.get(collationKey(values.get(0)));
            if (found == null) {
                return List.of();
            }
            return found.size() == 1 ? List.of(found.get(0)) : inTableOrder(found);
        }
        Set<Account> matched = new HashSet<>();
        for (String value : values) {
            List<Account> found = buckets.get(collationKey(value));
            if (found != null) {
                matched.addAll(found);
            }
        }
        return inTableOrder(matched);
    }

    private static List<Account> inTableOrder(Collection<Account> accounts) {
        List<Account> ordered = new ArrayList<>(accounts);
        ordered.sort((a, b) -> Long.compare(a.id, b.id));
        return ordered;
    }

    static String collationKey(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == ' ') {
            end--;
        }
        String trimmed = value.substring(0, end);
        boolean ascii = true;
        for (int i = 0; i < trimmed.length() && ascii; i++) {
            ascii = trimmed.charAt(i) < 0x80;
        }
        if (!ascii) {
            trimmed = NON_SPACING_MARKS.matcher(Normalizer.normalize(trimmed, Normalizer.Form.NFD)).replaceAll("");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
