package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an account stands with Ministra: {@code draft} (stored, not pushed until pushed or activated),
 * {@code synced}, {@code pending}, {@code retrying} (attempts, next attempt, last error), {@code dead} (the open dead
 * letter) or {@code discarded} (an operator dropped a dead push; the next change or a forced push pushes again).
 * {@code inFlight} is true while a node holds the push's lease.
 */
record SyncState(String state, int attempts, OffsetDateTime nextAttemptAt, String lastError, String lastErrorKind,
                 Long deadLetterId, OffsetDateTime lastPushedAt, boolean inFlight) {

    /** Reads the {@code p_*} columns of {@link Accounts#SELECT}. */
    static SyncState read(ResultSet rs, OffsetDateTime now) throws SQLException {
        OffsetDateTime leaseUntil = rs.getObject("p_lease_until", OffsetDateTime.class);
        long deadLetter = rs.getLong("p_dead_letter_id");
        return new SyncState(rs.getString("p_state"), rs.getInt("p_attempts"),
                rs.getObject("p_next_attempt_at", OffsetDateTime.class), rs.getString("p_last_error"),
                rs.getString("p_last_error_kind"), rs.wasNull() || deadLetter == 0 ? null : deadLetter,
                rs.getObject("p_last_pushed_at", OffsetDateTime.class), leaseUntil != null && leaseUntil.isAfter(now));
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", state);
        view.put("inFlight", inFlight);
        if (state.equals("retrying") || state.equals("dead") || attempts > 0) {
            view.put("attempts", attempts);
        }
        if (state.equals("retrying")) {
            view.put("nextAttemptAt", nextAttemptAt);
        }
        if (lastError != null) {
            view.put("lastError", lastError);
            view.put("lastErrorKind", lastErrorKind);
        }
        if (deadLetterId != null) {
            view.put("deadLetterId", deadLetterId);
        }
        view.put("lastPushedAt", lastPushedAt);
        return view;
    }
}
