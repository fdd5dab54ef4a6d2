package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;

import dev.ministramanager.api.AnswerFields;

/**
 * Where an account stands with Ministra: {@code draft} (stored, not pushed until pushed or activated),
 * {@code synced}, {@code pending}, {@code retrying} (attempts, next attempt, last error), {@code dead} (the open dead
 * letter) or {@code discarded} (an operator dropped a dead push; the next change or a forced push pushes again).
 * {@code inFlight} is true while a node holds the push's lease. While the company's Ministra is down (its circuit
 * open) a pending or retrying push says so ({@code waitingForMinistra}, {@code explanation}) instead of a backoff.
 */
record SyncState(String state, int attempts, OffsetDateTime nextAttemptAt, String lastError, String lastErrorKind,
                 Long deadLetterId, OffsetDateTime lastPushedAt, boolean inFlight, MinistraDown ministraDown) {

    /**
     * The company's Ministra while its circuit is open (see {@link MinistraCircuits}): the push waits for it instead
     * of a backoff of its own.
     */
    record MinistraDown(long companyId, String companyName, OffsetDateTime failingSince, OffsetDateTime nextProbeAt,
                        String failureKind) {

        String explanation() {
            return "waiting for Ministra of company " + companyName + " (" + companyId + "), failing since "
                    + failingSince + " (" + failureKind + "); next probe at " + nextProbeAt;
        }
    }

    /** Reads the {@code p_*} and {@code m_*} columns of the account reads ({@code sql/accounts-by-login.sql}). */
    static SyncState read(ResultSet rs, OffsetDateTime now) throws SQLException {
        OffsetDateTime leaseUntil = rs.getObject("p_lease_until", OffsetDateTime.class);
        long deadLetter = rs.getLong("p_dead_letter_id");
        boolean noDeadLetter = rs.wasNull() || deadLetter == 0;
        OffsetDateTime failingSince = rs.getObject("m_failing_since", OffsetDateTime.class);
        MinistraDown down = failingSince == null ? null : new MinistraDown(rs.getLong("company_id"),
                rs.getString("m_company_name"), failingSince, rs.getObject("m_next_probe_at", OffsetDateTime.class),
                rs.getString("m_last_failure_kind"));
        return new SyncState(rs.getString("p_state"), rs.getInt("p_attempts"),
                rs.getObject("p_next_attempt_at", OffsetDateTime.class), rs.getString("p_last_error"),
                rs.getString("p_last_error_kind"), noDeadLetter ? null : deadLetter,
                rs.getObject("p_last_pushed_at", OffsetDateTime.class), leaseUntil != null && leaseUntil.isAfter(now),
                down);
    }

    /** Pending or retrying while the company's Ministra is down: it waits for Ministra, not for a backoff. */
    boolean waitingForMinistra() {
        return ministraDown != null && (state.equals("pending") || state.equals("retrying"));
    }

    Map<String, Object> view() {
        return AnswerFields.toMap(this::writeTo);
    }

    /** The sync state's fields as the API answers them, in their order. */
    void writeTo(AnswerFields fields) {
        fields.put("state", state);
        fields.put("inFlight", inFlight);
        if (state.equals("retrying") || state.equals("dead") || attempts > 0) {
            fields.put("attempts", attempts);
        }
        if (waitingForMinistra()) {
            fields.object("waitingForMinistra", waiting -> {
                waiting.put("companyId", ministraDown.companyId());
                waiting.put("failingSince", ministraDown.failingSince());
                waiting.put("nextProbeAt", ministraDown.nextProbeAt());
            });
            fields.put("explanation", ministraDown.explanation());
        } else if (state.equals("retrying")) {
            fields.put("nextAttemptAt", nextAttemptAt);
        }
        if (lastError != null) {
            fields.put("lastError", lastError);
            fields.put("lastErrorKind", lastErrorKind);
        }
        if (deadLetterId != null) {
            fields.put("deadLetterId", deadLetterId);
        }
        fields.put("lastPushedAt", lastPushedAt);
    }
}
