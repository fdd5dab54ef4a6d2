package dev.ministramanager.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The keys by which Ministra's rows and our accounts are matched: the login and the account number as Ministra's
 * collation compares them ({@link RemoteAccount#collationKey}), and the bound MAC in upper case. One set holds all
 * three kinds, written {@code l:<login>}, {@code n:<number>} and {@code m:<MAC>}; an empty key is no key.
 *
 * @param logins  the rows' login keys, to look our accounts up by
 * @param numbers the rows' account number keys
 * @param macs    the rows' MACs
 */
public record AccountKeys(Set<String> logins, Set<String> numbers, Set<String> macs) {

    /** The keys of these Ministra rows, to look up which of our accounts they name. */
    public static AccountKeys of(Collection<RemoteAccount> rows) {
        Set<String> logins = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (RemoteAccount row : rows) {
            add(logins, RemoteAccount.collationKey(row.login()));
            add(numbers, RemoteAccount.collationKey(row.accountNumber()));
            add(macs, row.macKey());
        }
        return new AccountKeys(logins, numbers, macs);
    }

    /**
     * The keys as the IN lists {@code :logins}, {@code :numbers} and {@code :macs}. {@code IN ()} is not SQL, so an
     * empty list is a value no key has: the empty string (empty keys are never collected, and a NUL, which
     * PostgreSQL refuses in text, would fail the statement).
     */
    public Map<String, Object> parameters() {
        return Map.of("logins", orNone(logins), "numbers", orNone(numbers), "macs", orNone(macs));
    }

    /** A Ministra row's keys, in the order a match is looked for: login, account number, MAC. */
    public static List<String> keysOf(RemoteAccount row) {
        return keys(RemoteAccount.collationKey(row.login()), RemoteAccount.collationKey(row.accountNumber()),
                row.macKey());
    }

    /** One of our accounts' keys, from its stored login key, account number key and MAC. */
    public static List<String> stored(String loginKey, String numberKey, String mac) {
        return keys(loginKey, numberKey, mac == null ? null : mac.toUpperCase(Locale.ROOT));
    }

    private static List<String> keys(String login, String number, String mac) {
        List<String> keys = new ArrayList<>(3);
        addPrefixed(keys, "l:", login);
        addPrefixed(keys, "n:", number);
        addPrefixed(keys, "m:", mac);
        return keys;
    }

    private static void addPrefixed(List<String> keys, String prefix, String key) {
        if (key != null && !key.isEmpty()) {
            keys.add(prefix + key);
        }
    }

    private static void add(Set<String> keys, String key) {
        if (key != null && !key.isEmpty()) {
            keys.add(key);
        }
    }

    private static Set<String> orNone(Set<String> keys) {
        return keys.isEmpty() ? Set.of("") : keys;
    }
}
