package dev.ministramanager.simulator;

import java.time.Duration;
import java.util.List;

/** SEND_EVENT and STB_MSG: events queued for devices, which pick them up on their next poll. */
final class EventResources {

    private final MinistraState state;

    EventResources(MinistraState state) {
        this.state = state;
    }

    Object sendEvent(ApiCall call) {
        List<Account> targets = call.deviceRows(state);
        if (targets.isEmpty() && call.identifiers != null) {
            throw new ApiError("STB not found");
        }
        long ttlSeconds = PhpValues.isTruthy(call.data.get("ttl")) ? PhpValues.intval(call.data.get("ttl")) : 0;
        Duration ttl = ttlSeconds > 0 ? Duration.ofSeconds(ttlSeconds) : null;
        Object event = call.data.get("event");
        String msg = PhpValues.string(call.data.get("msg"));
        String channel = PhpValues.string(call.data.get("channel"));
        switch (event instanceof String name ? name : "") {
            case "send_msg" -> {
                boolean reboot = PhpValues.isTruthy(call.data.get("need_reboot"));
                for (Account row : targets) {
                    if (reboot) {
                        state.dropUnsentMessageReboots(row);
                    }
                    state.queueEvent(row, "send_msg", msg, 1, reboot ? 1 : 0, 2, 0, "", ttl);
                }
            }
            case "send_msg_with_video" -> targets.forEach(row -> state.queueEvent(row, "send_msg_with_video", msg, 1,
                    0, 2, 0, PhpValues.string(call.data.get("video")), ttl));
            case "reboot", "reload_portal", "update_image", "cut_off", "show_menu" ->
                    targets.forEach(row -> state.queueEvent(row, (String) event, "", 0, 0, 1, 0, "", ttl));
            case "update_channels" ->
                    targets.forEach(row -> state.queueEvent(row, "update_subscription", "", 0, 0, 1, 0, "", ttl));
            case "play_channel", "play_radio_channel" ->
                    targets.forEach(row -> state.queueEvent(row, (String) event, channel, 0, 0, 1, 0, "", ttl));
            default -> {
                return false;
            }
        }
        return true;
    }

    Object stbMsg(ApiCall call) {
        List<Account> targets = call.deviceRows(state);
        if (targets.isEmpty()) {
            throw new ApiError("Empty stb list");
        }
        Object msg = call.data.get("msg");
        if (PhpValues.isEmpty(msg)) {
            throw new ApiError("Empty msg");
        }
        long ttlSeconds = PhpValues.intval(call.data.get("ttl"));
        Duration ttl = ttlSeconds != 0 ? Duration.ofSeconds(ttlSeconds) : null;
        int autoHide = (int) PhpValues.intval(call.data.get("auto_hide_timeout"));
        for (Account row : targets) {
            state.queueEvent(row, "send_msg", PhpValues.string(msg), 1, 0, 2, autoHide, "", ttl);
        }
        return true;
    }
}
