package dev.ministramanager.stb;

import java.util.Arrays;
import java.util.Locale;

import dev.ministramanager.api.ProblemException;

/**
 * The set-top box commands, each mapped to the Ministra event that carries it. {@code update-channels} is what
 * Ministra queues as {@code update_subscription}; {@code cut-off} shows the blocked screen without changing the
 * account's status.
 */
public enum StbCommand {
    REBOOT("reboot"),
    RELOAD_PORTAL("reload_portal"),
    UPDATE_CHANNELS("update_channels"),
    CUT_OFF("cut_off"),
    SHOW_MENU("show_menu"),
    PLAY_CHANNEL("play_channel"),
    MESSAGE("send_msg");

    private final String ministraEvent;

    StbCommand(String ministraEvent) {
        this.ministraEvent = ministraEvent;
    }

    public String ministraEvent() {
        return ministraEvent;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean isMessage() {
        return this == MESSAGE;
    }

    public static StbCommand of(String id) {
        return Arrays.stream(values()).filter(command -> command.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Unknown STB command '" + id + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(StbCommand::id).toList()) + "."));
    }
}
