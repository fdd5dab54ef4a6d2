package dev.ministramanager.stb;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the STB command operations answer (StbCommands, StbRebootWaits), for the OpenAPI document only: the REST
 * DSL names these as {@code responseModel}s, and ApiAnswersMatchTheContractTest validates real answers against
 * them, so a member added to an answer and not here fails that test.
 */
public final class StbAnswers {

    private StbAnswers() {
    }

    /** StbCommands.sent, and StbRebootWaits.answer for a reboot with {@code waitForOnlineSeconds}. */
    @Schema(name = "StbCommandSent", description = "The event Ministra queued for the box")
    public record Sent(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "00:1A:79:12:34:56") String mac,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "reboot") String command,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "queued") String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime sentAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When Ministra drops the event if the"
                    + " box has not polled") OffsetDateTime expiresAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "The box's state"
                    + " when sent (null: unknown)") Boolean boxOnline,
            @Schema(description = "When the box is or may be offline", example = "The box is offline: Ministra"
                    + " drops this event at 2026-01-15T09:35:00Z unless the box polls before then.") String warning,
            @JsonProperty("wait") @Schema(description = "A reboot that waited for the box: how the wait ended")
            RebootWait rebootWait) {
    }

    /** StbRebootWaits.answer. */
    @Schema(name = "StbRebootWait", description = "How a reboot's wait for the box ended")
    public record RebootWait(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"back_online", "still_offline",
                "unknown", "online_throughout"}) String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "45") long waitedSeconds) {
    }

    /** StbCommands.bulkAnswer. */
    @Schema(name = "StbBulkResult", description = "A result per login")
    public record Bulk(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2") long queued,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") long failed,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<BulkItem> results) {
    }

    /** One login's result: the command's answer, or the problem that stopped it (StbCommands.bulkItemFailed). */
    @Schema(name = "StbBulkItem", description = "One login's result: queued (as StbCommandSent) or failed")
    public record BulkItem(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"queued", "failed"})
            String outcome,
            @Schema(description = "queued", example = "00:1A:79:12:34:56") String mac,
            @Schema(description = "queued", example = "update-channels") String command,
            @Schema(description = "queued") OffsetDateTime sentAt,
            @Schema(description = "queued") OffsetDateTime expiresAt,
            @Schema(nullable = true, description = "queued") Boolean boxOnline,
            @Schema(description = "queued, when the box is or may be offline", example = "The box is offline:"
                    + " Ministra drops this event at 2026-01-15T09:35:00Z unless the box polls before then.")
            String warning,
            @Schema(description = "failed: the problem's HTTP status", example = "409") Integer status,
            @Schema(description = "failed: why", example = "The account has no bound box.") String detail) {
    }
}
