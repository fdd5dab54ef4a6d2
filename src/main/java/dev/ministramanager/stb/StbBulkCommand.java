package dev.ministramanager.stb;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/** Body of {@code POST /stb/commands}: one command to an explicit list of logins; there is no "all boxes" form. */
public record StbBulkCommand(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"reboot", "reload-portal", "update-channels", "cut-off", "show-menu",
            "play-channel", "message"}) String command,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "At most mm.stb.bulk-max logins") List<String> logins,
        @Schema(description = "play-channel: the channel number") Integer channel,
        @Schema(description = "message: the text", maxLength = 1000) String text,
        Integer ttlSeconds, Boolean rebootAfterOk, Integer autoHideSeconds) implements Validated {

    @Override
    public void validate() {
        if (command == null) {
            throw ProblemException.invalidField("command", "Field 'command' is required.");
        }
        if (logins == null || logins.isEmpty() || logins.stream().anyMatch(login -> login == null || login.isBlank())) {
            throw ProblemException.invalidField("logins", "Field 'logins' must list at least one login, none empty.");
        }
        options().validate();
    }

    StbCommandOptions options() {
        return new StbCommandOptions(channel, text, ttlSeconds, rebootAfterOk, autoHideSeconds, null);
    }
}
