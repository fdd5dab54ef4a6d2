package dev.ministramanager.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator console's cookie sessions. They live in the database, so that every node sharing it accepts them
 * and a sign-out on one node ends the session on all; only the SHA-256 of the cookie's token is stored. Each request
 * reads the session together with its user, so a disabled user's session stops at once; a session unused for the
 * idle time is gone. The CSRF token is derived from the session token (so it needs no storage and survives a page
 * reload through {@code GET /session}); cookie-authenticated requests with unsafe methods must echo it.
 */
public class ConsoleSessions {

    private static final String DELETE_IDLE = SqlStatements.load("console-sessions-delete-idle");
    private static final String INSERT_SESSION = SqlStatements.load("console-sessions-insert");
    private static final String BY_TOKEN = SqlStatements.load("console-sessions-by-token");
    private static final String DELETE_SESSION = SqlStatements.load("console-sessions-delete");
    private static final String TOUCH = SqlStatements.load("console-sessions-touch");

    public static final String COOKIE = "mm_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final JdbcTemplate jdbc;
    private final Duration idle;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ConsoleSessions(DataSource dataSource, Duration idle, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.idle = idle;
        this.clock = clock;
    }

    public Duration idle() {
        return idle;
    }

    /** Opens a session for the user; the token exists only in the return value (and then in the cookie). */
    public String open(long userId) {
        long now = clock.millis();
        jdbc.update(DELETE_IDLE, now - idle.toMillis());
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = BASE64URL.encodeToString(secret);
        jdbc.update(INSERT_SESSION, hash(token), userId, now, now);
        return token;
    }

    /** The user id of a live session of an enabled user, marking it used; empty when unknown or idle too long. */
    public Optional<Long> userIdOf(String token) {
        String tokenHash = hash(token);
        long now = clock.millis();
        List<Long[]> rows = jdbc.query(BY_TOKEN, (rs, i) -> new Long[] {rs.getLong(1), rs.getLong(2)}, tokenHash);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long lastSeen = rows.get(0)[1];
        if (lastSeen + idle.toMillis() < now) {
            jdbc.update(DELETE_SESSION, tokenHash);
            return Optional.empty();
        }
        // one write per session and a quarter of the idle time (at most a minute), not one per request
        if (now - lastSeen > Math.min(60_000, idle.toMillis() / 4)) {
            jdbc.update(TOUCH, now, tokenHash);
        }
        return Optional.of(rows.get(0)[0]);
    }

    public void close(String token) {
        jdbc.update(DELETE_SESSION, hash(token));
    }

    /** The CSRF token belonging to a session token. */
    public static String csrfTokenOf(String token) {
        return BASE64URL.encodeToString(sha256("csrf:" + token));
    }

    public static boolean csrfMatches(String token, String presented) {
        return presented != null && MessageDigest.isEqual(csrfTokenOf(token).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The session token in a Cookie header, if it carries one. */
    public static Optional<String> tokenIn(String cookieHeader) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith(COOKIE + "=") && trimmed.length() > COOKIE.length() + 1) {
                return Optional.of(trimmed.substring(COOKIE.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The Set-Cookie value of a new session: HttpOnly, SameSite=Strict, Secure when the client came over TLS. */
    public static String cookie(String token, boolean secure) {
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that makes the browser forget the session. */
    public static String expiredCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
