package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One API request as the resource handlers see it, with the per-request state PHP would keep in globals (what was
 * echoed before the envelope, whether a session was started), and the preambles several handlers share.
 */
final class ApiCall {

    final String action;
    /** Piece 1 of the path split on commas, or null when there is no piece 1. */
    final List<String> identifiers;
    /** PHP's {@code $_POST}-like variables parsed from the body. */
    final Map<String, Object> data;
    /** PHP's {@code $_GET}. */
    final Map<String, Object> query;
    final StringBuilder output = new StringBuilder();
    boolean sessionStarted;

    ApiCall(String action, List<String> identifiers, Map<String, Object> data, Map<String, Object> query) {
        this.action = action;
        this.identifiers = identifiers;
        this.data = data;
        this.query = query;
    }

    int idCount() {
        return identifiers == null ? 0 : identifiers.size();
    }

    String firstId() {
        return identifiers == null || identifiers.isEmpty() ? null : identifiers.get(0);
    }

    /** Whether the first identifier is long enough (in bytes, as PHP's strlen counts) to be taken for a MAC. */
    boolean firstIdIsMacLength() {
        String first = firstId();
        return !PhpValues.isEmpty(first) && first.getBytes(StandardCharsets.UTF_8).length >= 12;
    }

    /** The rows STB, ACCOUNT_SUBSCRIPTION and the events address: by MAC, by account number, or all of them. */
    List<Account> deviceRows(MinistraState state) {
        if (firstIdIsMacLength()) {
            return state.findByMacs(identifiers);
        }
        if (identifiers == null) {
            return new ArrayList<>(state.all());
        }
        return state.findByAccountNumbers(identifiers);
    }

    /**
     * The preamble of every create and of ACCOUNTS update: an empty body is "HTTP POST data is empty" (also for
     * PUT), a body without any accepted field "Insert data is empty".
     */
    Map<String, Object> acceptedFields(List<String> accepted) {
        if (data.isEmpty()) {
            throw new ApiError("HTTP POST data is empty");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            if (accepted.contains(entry.getKey())) {
                fields.put(entry.getKey(), entry.getValue());
            }
        }
        if (fields.isEmpty()) {
            throw new ApiError("Insert data is empty");
        }
        return fields;
    }

    /** Creates normalise a non-empty MAC field, or fail with "Not valid mac address". */
    static void normalizeMacField(Map<String, Object> fields, String key) {
        if (!PhpValues.isEmpty(fields.get(key))) {
            String mac = MacAddress.normalize(PhpValues.string(fields.get(key)));
            if (mac == null) {
                throw new ApiError("Not valid mac address");
            }
            fields.put(key, mac);
        }
    }
}
