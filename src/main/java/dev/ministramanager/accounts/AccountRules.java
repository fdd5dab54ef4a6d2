package dev.ministramanager.accounts;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.ministramanager.api.ProblemException;

/**
 * Field rules of an account, shared by create, provision and change. Logins and account numbers are limited to the
 * characters Ministra keeps intact in a URL path ({@code [A-Za-z0-9._@-]}, 1 to 64), because pushes address accounts
 * as {@code users/<login>} and batch reads as {@code accounts/<numbers>}; neither may contain a colon, which would
 * switch Ministra to MAC lookups.
 */
final class AccountRules {

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern IDENTIFIER_CHARACTER = Pattern.compile("[A-Za-z0-9._@-]");
    static final String LOGIN_RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-' (no spaces).";
    static final int CUSTOMER_REF_MAX = 100;
    /**
     * The MAC notations in use, each as a whole: six pairs separated by colons or by dashes (one kind), three
     * dot-separated groups of four (Cisco), or twelve bare hex digits. Anything else ({@code 0:01A:7.90-0AA:2:1})
     * is refused rather than squeezed into twelve digits.
     */
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\\1[0-9a-f]{2}){4}"
            + "|[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}|[0-9a-f]{12}");
    private static final Pattern NOT_HEX = Pattern.compile("[^0-9A-Fa-f]");
    /** Expiry dates Ministra and both databases store as given (PostgreSQL refuses, H2 keeps year -1 as 2 BC). */
    private static final OffsetDateTime EARLIEST_EXPIRY = OffsetDateTime.parse("1970-01-01T00:00:00Z");
    private static final OffsetDateTime LATEST_EXPIRY = OffsetDateTime.parse("9999-12-31T23:59:59Z");
    static final int TEXT_MAX = 64;
    static final int COMMENT_MAX = 2000;
    static final int PASSWORD_MAX = 128;

    private AccountRules() {
    }

    /**
     * The rules every account field follows, on create and on change; an empty stbMac or expiresAt means none (on a
     * change: clear it). Null means "not given".
     */
    static void checkFields(String password, String fullName, String phone, String accountNumber, String tariff,
                            String status, String stbMac, String comment, String expiresAt) {
        checkPassword(password);
        checkText("fullName", fullName, TEXT_MAX);
        checkText("phone", phone, TEXT_MAX);
        checkAccountNumber(accountNumber);
        checkTariff(tariff);
        checkStatus(status);
        if (stbMac != null && !stbMac.isEmpty()) {
            canonicalMac(stbMac);
        }
        checkText("comment", comment, COMMENT_MAX);
        if (expiresAt != null && !expiresAt.isEmpty()) {
            expiry(expiresAt);
        }
    }

    static void requireLogin(String login) {
        if (login == null || login.isEmpty()) {
            throw ProblemException.invalidField("login", "Field 'login' is required.");
        }
        if (!IDENTIFIER.matcher(login).matches()) {
            refuseLogin(login);
        }
        refuseDotSegment("login", login);
    }

    /**
     * '.' and '..' pass the alphabet but a URL path normalises them away: such an account could never be addressed
     * again ({@code GET /accounts/..}) and would be pushed as {@code users/..}.
     */
    static void refuseDotSegment(String field, String identifier) {
        if (identifier.equals(".") || identifier.equals("..")) {
            throw ProblemException.invalidField(field, "Field '" + field + "' must not be '.' or '..' (a URL path"
                    + " cannot address it).");
        }
    }

    /**
     * Says exactly what is wrong with a login, because billing systems paste logins with invisible characters that
     * an operator cannot see; the login is never altered to fit.
     */
    private static void refuseLogin(String login) {
        int[] codePoints = login.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (isAllowed(c)) {
                continue;
            }
            String what;
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                what = i == 0 ? "leading whitespace" : i == codePoints.length - 1 ? "trailing whitespace"
                        : "whitespace";
            } else if (Character.isISOControl(c)) {
                what = "a control character";
            } else if (isInvisible(c)) {
                what = "an invisible character";
            } else {
                what = "a character outside the allowed alphabet";
            }
            String found = String.format(Locale.ROOT, "U+%04X", c);
            throw new ProblemException(400, "Invalid request", "Field 'login' contains " + what + " (" + found
                    + " at position " + (i + 1) + "); a login is " + LOGIN_RULE,
                    Map.of("field", "login", "position", i + 1, "codePoint", found));
        }
        throw ProblemException.invalidField("login", "Field 'login' must be " + LOGIN_RULE);
    }

    private static boolean isAllowed(int c) {
        return c < 0x80 && IDENTIFIER_CHARACTER.matcher(Character.toString(c)).matches();
    }

    /** Format characters (zero-width space, BOM, directional marks...) and the like that render as nothing. */
    static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0;
    }

    /**
     * The billing system's customer id: free text up to {@value #CUSTOMER_REF_MAX} characters, but without
     * surrounding whitespace, control or invisible characters, because it is matched exactly.
     */
    static void checkCustomerRef(String customerRef) {
        if (customerRef == null || customerRef.isEmpty()) {
            return;
        }
        refuseDotSegment("customerRef", customerRef);
        if (customerRef.length() > CUSTOMER_REF_MAX) {
            throw ProblemException.invalidField("customerRef", "Field 'customerRef' must be at most "
                    + CUSTOMER_REF_MAX + " characters.");
        }
        int[] codePoints = customerRef.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            boolean edge = i == 0 || i == codePoints.length - 1;
            if (Character.isISOControl(c) || isInvisible(c)
                    || edge && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                String found = String.format(Locale.ROOT, "U+%04X", c);
                throw new ProblemException(400, "Invalid request", "Field 'customerRef' must not contain control or"
                        + " invisible characters nor start or end with whitespace (" + found + " at position "
                        + (i + 1) + ").", Map.of("field", "customerRef", "position", i + 1, "codePoint", found));
            }
        }
    }

    static void checkAccountNumber(String accountNumber) {
        if (accountNumber != null && !IDENTIFIER.matcher(accountNumber).matches()) {
            throw ProblemException.invalidField("accountNumber", "Field 'accountNumber' must be 1 to 64 characters"
                    + " of A-Z, a-z, 0-9, '.', '_', '@' and '-'.");
        }
        if (accountNumber != null) {
            refuseDotSegment("accountNumber", accountNumber);
        }
    }

    static void checkPassword(String password) {
        if (password == null) {
            return;
        }
        if (password.isEmpty() || password.length() > PASSWORD_MAX
                || password.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidField("password", "Field 'password' must be 1 to " + PASSWORD_MAX
                    + " characters without control characters.");
        }
    }

    static void checkText(String field, String value, int max) {
        if (value != null && (value.length() > max || value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t'))) {
            throw ProblemException.invalidField(field, "Field '" + field + "' must be at most " + max
                    + " characters without control characters.");
        }
    }

    static void checkStatus(String status) {
        if (status != null && !status.equals("active") && !status.equals("inactive")) {
            throw ProblemException.invalidField("status", "Field 'status' must be 'active' or 'inactive'.");
        }
    }

    static void checkTariff(String tariff) {
        if (tariff != null && (tariff.isBlank() || tariff.length() > 100)) {
            throw ProblemException.invalidField("tariff", "Field 'tariff' must be a tariff plan's external id.");
        }
    }

    /**
     * The canonical form Ministra matches devices by: upper-case hex pairs separated by colons. Accepts colons,
     * dashes, dots or no separators; anything that is not 12 hex digits is refused (Ministra itself would store it).
     */
    static String canonicalMac(String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw ProblemException.invalidField("stbMac", "Field 'stbMac' must be a MAC address: six hex pairs"
                    + " separated by ':' or '-' (00:1A:79:AB:CD:EF), three groups of four separated by '.', or 12"
                    + " hex digits.");
        }
        String digits = NOT_HEX.matcher(mac).replaceAll("").toUpperCase(Locale.ROOT);
        StringBuilder canonical = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                canonical.append(':');
            }
            canonical.append(digits, i, i + 2);
        }
        return canonical.toString();
    }

    /** An instant with an explicit offset or zone ({@code 2027-01-31T23:59:59+02:00}); a local time is refused. */
    static OffsetDateTime expiry(String value) {
        OffsetDateTime expiry;
        try {
            expiry = OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("expiresAt", "Field 'expiresAt' must be an ISO-8601 timestamp with an"
                    + " offset, e.g. 2027-01-31T23:59:59+02:00.");
        }
        if (expiry.isBefore(EARLIEST_EXPIRY) || expiry.isAfter(LATEST_EXPIRY)) {
            throw ProblemException.invalidField("expiresAt", "Field 'expiresAt' must be between 1970-01-01 and"
                    + " 9999-12-31.");
        }
        return expiry;
    }

    /** An empty text is none: on create not stored, on a change cleared (null stays "not given"). */
    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static String key(String identifier) {
        return identifier.toLowerCase(Locale.ROOT);
    }
}
