package dev.ministramanager.dashboard;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /dashboard} (Dashboard.figures), for the OpenAPI document only; ApiAnswersMatchTheContractTest checks it. */
@Schema(name = "DashboardFigures", description = "The console's figures for the companies asked about")
public record DashboardFigures(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "[1]") List<Long> companies,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime at,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Accounts per sync state (draft,"
                + " synced, pending, retrying, dead, discarded)", example = "{\"synced\": 40, \"pending\": 2,"
                + " \"dead\": 1}") Map<String, Long> accountsBySyncState,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Boxes boxes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") long openDeadLetters,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<TariffSync> lastTariffSync,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<PausedPushes> pausedPushes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "8") long pushesLastHour,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The last day, per hour")
        List<PushHour> pushesByHour,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The last day, per sampling period")
        List<BoxSample> boxesOnline) {

    /** Boxes by their last known state. */
    @Schema(name = "DashboardBoxes", description = "Boxes by their last known state")
    public record Boxes(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "31") long online,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "9") long offline,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long unknown) {
    }

    /** A company's last tariff sync. */
    @Schema(name = "DashboardTariffSync", description = "A company's last tariff sync")
    public record TariffSync(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "succeeded")
                             String outcome,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime startedAt,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                             OffsetDateTime finishedAt,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String errorKind) {
    }

    /** A company whose pushes are paused. */
    @Schema(name = "DashboardPausedPushes", description = "A company whose pushes are paused, until when and why")
    public record PausedPushes(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime pausedUntil,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String reason) {
    }

    /** Pushes of one hour. */
    @Schema(name = "DashboardPushHour", description = "Pushes of one hour")
    public record PushHour(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The hour's start,"
                                   + " epoch seconds", example = "1796076000") long hour,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "8") long succeeded,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") long deadLettered) {
    }

    /** Boxes online at one sample. */
    @Schema(name = "DashboardBoxSample", description = "Boxes online and offline at one sample")
    public record BoxSample(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Epoch seconds",
                                    example = "1796076000") long at,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "31") long online,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "9") long offline) {
    }
}
