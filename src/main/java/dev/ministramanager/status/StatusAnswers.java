package dev.ministramanager.status;

import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the status operations answer (AccountPulls, StatusQueries, FleetRefresh, sql/status-summary.sql), for the
 * OpenAPI document only: the REST DSL names these as {@code responseModel}s, and ApiAnswersMatchTheContractTest
 * validates real answers against them, so a member added to a view and not here fails that test.
 */
public final class StatusAnswers {

    private StatusAnswers() {
    }

    /** RemoteSnapshots.snapshotView: the members from {@code ip} to {@code sharedRows} only when Ministra has it. */
    @Schema(name = "MinistraSnapshot", description = "The account as Ministra showed it at the last pull or refresh")
    public record Snapshot(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Ministra has the account")
            boolean inMinistra,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "null: unknown")
            Boolean online,
            @Schema(nullable = true, example = "10.0.0.23") String ip,
            @Schema(nullable = true, example = "0.2.18-r14-pub-250") String firmware,
            @Schema(nullable = true, example = "MAG250") String stbType,
            @Schema(nullable = true) String stbSerial,
            @Schema(nullable = true, example = "00:1A:79:12:34:56") String boundMac,
            @Schema(nullable = true, example = "2026-11-30 21:04:11") String lastActive,
            @Schema(nullable = true, description = "Ministra's status", example = "active")
            String ministraStatus,
            @Schema(nullable = true, example = "basic") String tariff,
            @Schema(nullable = true, description = "Ministra's additional subscriptions") List<String> subscriptions,
            @Schema(description = "How many rows Ministra has for this login (more than 1: a duplicate there)",
                    example = "1") Integer sharedRows,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime readAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "42") long ageSeconds,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "pull or refresh",
                    example = "refresh") String readBy) {
    }

    /** {@code POST /accounts/{login}/pull} and {@code GET /status/accounts/{login}}. */
    @Schema(name = "AccountSnapshot", description = "An account and its last snapshot from Ministra")
    public record AccountSnapshot(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String accountNumber,
            @Schema(description = "GET only: the account's status here", allowableValues = {"active", "inactive"})
            String status,
            @Schema(nullable = true, description = "GET only: the box bound here", example = "00:1A:79:12:34:56")
            String stbMac,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "null: never read")
            Snapshot ministra) {
    }

    /** One row of {@code GET /status/accounts}. */
    @Schema(name = "OnlineState", description = "An account's last known online state")
    public record OnlineState(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "17") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String accountNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "00:1A:79:12:34:56")
            String stbMac,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) Boolean online,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) Boolean inMinistra,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime readAt) {
    }

    /** {@code GET /status/accounts}. */
    @Schema(name = "OnlineStatePage", description = "A page of accounts by last known online state")
    public record OnlineStatePage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<OnlineState> items,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Pass as after for"
                    + " the next page; null on the last page", example = "17") Long nextAfter) {
    }

    /** One row of {@code GET /status/summary}. */
    @Schema(name = "OnlineSummary", description = "Online, offline and unknown accounts of a company and tariff")
    public record Summary(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "basic") String tariff,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "812") long online,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "95") long offline,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long unknown,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime oldestReadAt) {
    }

    /** {@code POST /companies/{companyId}/status/refresh}: FleetRefresh's run. */
    @Schema(name = "StatusRefreshRun", description = "A refresh of a company's fleet from Ministra")
    public record RefreshRun(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "12") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "user") String trigger,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "succeeded") String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "910") int accounts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "907") int found,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") int notFound,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int unreadable,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int failedBatches,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10") int requests,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Accounts that went online or"
                    + " offline", example = "4") int transitions,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String error,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime startedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "840") long durationMs) {
    }
}
