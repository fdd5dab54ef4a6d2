package dev.ministramanager.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Ministra account row as {@code accounts} and {@code users} GET return it (API-SPEC §3.1). Every database value
 * arrives as a string; {@code status} is the only number; {@code online} is {@code "1"}/{@code "0"}.
 */
public record RemoteAccount(String login, String fullName, String phone, String accountNumber, String tariffPlan,
                            String stbSn, String stbMac, String stbType, Integer status, Boolean online, String ip,
                            String firmware, String lastActive, List<String> subscribed) {

    /** Ministra's "never" for NOT NULL dates. */
    private static final String ZERO_DATE = "0000-00-00 00:00:00";

    public static RemoteAccount of(JsonNode row) {
        List<String> subscribed = new ArrayList<>();
        row.path("subscribed").forEach(item -> subscribed.add(item.asText()));
        JsonNode status = row.get("status");
        JsonNode online = row.get("online");
        String lastActive = text(row, "last_active");
        return new RemoteAccount(text(row, "login"), text(row, "full_name"), text(row, "phone"),
                text(row, "account_number"), text(row, "tariff_plan"), text(row, "stb_sn"), text(row, "stb_mac"),
                text(row, "stb_type"), status == null || status.isNull() ? null : status.asInt(),
                online == null || online.isNull() ? null : "1".equals(online.asText()), text(row, "ip"),
                text(row, "version"), ZERO_DATE.equals(lastActive) || "".equals(lastActive) ? null : lastActive,
                List.copyOf(subscribed));
    }

    /** Our status vocabulary: Ministra's 1 is active, 0 inactive. */
    public String statusName() {
        return status == null ? null : status == 1 ? "active" : "inactive";
    }

    /**
     * How Ministra's MySQL collation compares logins and account numbers: case-insensitive, trailing spaces ignored.
     * Null for null.
     */
    public static String collationKey(String value) {
        if (value == null) {
            return null;
        }
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The bound MAC as Ministra matches MACs (upper case), or null when no box is bound. */
    public String macKey() {
        return stbMac == null || stbMac.isEmpty() ? null : stbMac.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
