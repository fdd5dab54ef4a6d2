package dev.ministramanager.stb;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/**
 * Body of {@code POST /accounts/{login}/stb/{command}} (may be omitted): {@code channel} for play-channel;
 * {@code text}, {@code rebootAfterOk} and {@code autoHideSeconds} for message; {@code ttlSeconds} for any command;
 * {@code waitSeconds} for reboot (wait until the box is seen online again).
 */
public record StbCommandOptions(Integer channel, String text, Integer ttlSeconds, Boolean rebootAfterOk,
                                Integer autoHideSeconds, Integer waitSeconds) implements Validated {

    static final int MAX_TEXT = 1000;
    static final int MAX_WAIT_SECONDS = 300;

    @Override
    public void validate() {
        if (channel != null && (channel < 1 || channel > 99_999)) {
            throw ProblemException.invalidField("channel", "Field 'channel' must be a channel number (1-99999).");
        }
        if (text != null && (text.isBlank() || text.length() > MAX_TEXT)) {
            throw ProblemException.invalidField("text", "Field 'text' must be 1 to " + MAX_TEXT + " characters.");
        }
        if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > 30 * 24 * 3600)) {
            throw ProblemException.invalidField("ttlSeconds", "Field 'ttlSeconds' must be 1 to 2592000 seconds.");
        }
        if (autoHideSeconds != null && (autoHideSeconds < 1 || autoHideSeconds > 3600)) {
            throw ProblemException.invalidField("autoHideSeconds", "Field 'autoHideSeconds' must be 1 to 3600.");
        }
        if (waitSeconds != null && (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS)) {
            throw ProblemException.invalidField("waitSeconds", "Field 'waitSeconds' must be 0 to "
                    + MAX_WAIT_SECONDS + ".");
        }
    }

    /** The rules that depend on the command. */
    void validateFor(StbCommand command) {
        if (command == StbCommand.PLAY_CHANNEL && channel == null) {
            throw ProblemException.invalidField("channel", "play-channel needs field 'channel'.");
        }
        if (command != StbCommand.PLAY_CHANNEL && channel != null) {
            throw ProblemException.invalidField("channel", "Field 'channel' is only for play-channel.");
        }
        if (command.isMessage() && text == null) {
            throw ProblemException.invalidField("text", "message needs field 'text'.");
        }
        if (!command.isMessage() && (text != null || rebootAfterOk != null || autoHideSeconds != null)) {
            String field = text != null ? "text" : rebootAfterOk != null ? "rebootAfterOk" : "autoHideSeconds";
            throw ProblemException.invalidField(field, "Field '" + field + "' is only for message.");
        }
        if (command.isMessage() && autoHideSeconds != null && Boolean.TRUE.equals(rebootAfterOk)) {
            throw ProblemException.invalidField("autoHideSeconds", "A message that reboots after OK cannot hide"
                    + " itself.");
        }
        if (command != StbCommand.REBOOT && waitSeconds != null) {
            throw ProblemException.invalidField("waitSeconds", "Field 'waitSeconds' is only for reboot.");
        }
    }
}
