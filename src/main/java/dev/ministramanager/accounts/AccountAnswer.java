package dev.ministramanager.accounts;

import java.time.OffsetDateTime;
import java.util.List;

import dev.ministramanager.status.StatusAnswers;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The account as the API answers it ({@link StoredAccount#view()} and what the create, provision and read add to
 * it), for the OpenAPI document only: the REST DSL names it as the {@code responseModel} of the account
 * operations, and ApiAnswersMatchTheContractTest validates real answers against it, so a member added to the view
 * and not here (or the other way round) fails that test.
 */
@Schema(name = "Account", description = "An IPTV account and where it stands with Ministra")
public record AccountAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String login,
        @Schema(nullable = true, example = "John Doe") String fullName,
        @Schema(nullable = true, example = "+49 30 1234567") String phone,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "jdoe") String accountNumber,
        @Schema(nullable = true, description = "The tariff plan's external id", example = "basic") String tariff,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive"})
        String status,
        @Schema(nullable = true, example = "00:1A:79:12:34:56") String stbMac,
        @Schema(nullable = true) String comment,
        @Schema(nullable = true) OffsetDateTime expiresAt,
        @Schema(nullable = true, example = "C-100") String customerRef,
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Optional"
                + " packages subscribed on top of the plan (ours, pushed to Ministra)"),
                schema = @Schema(example = "sport")) List<String> packages,
        @ArraySchema(arraySchema = @Schema(nullable = true, description = "GET /accounts/{login} only: the"
                + " optional packages Ministra had at the last pull or refresh (null: never read)"),
                schema = @Schema(example = "sport")) List<String> subscribed,
        @ArraySchema(arraySchema = @Schema(description = "Only in the answer of a tariff change that dropped"
                + " subscribed packages (not optional packages of the new plan)"),
                schema = @Schema(example = "sport")) List<String> droppedPackages,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Whether a password is stored (it is"
                + " never returned)") boolean passwordSet,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Its version; the ETag is this number"
                + " quoted", example = "3") long version,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime updatedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Sync sync,
        @Schema(nullable = true, description = "GET /accounts/{login} only: Ministra's snapshot from the last pull or"
                + " refresh and its age (null: never read)") StatusAnswers.Snapshot ministra,
        @Schema(description = "Only in the answer of the create, provision or password change that generated it",
                example = "x7Kp9mQ2vR4t") String generatedPassword,
        @Schema(description = "In an Idempotency-Key replay of such an answer, instead of the password")
        Boolean passwordGenerated,
        @Schema(nullable = true, description = "GET /accounts only: the box's state at the last pull or refresh"
                + " (null: unknown)") Boolean online) {

    /** {@link SyncState#view()}. */
    @Schema(name = "AccountSync", description = "Where the account stands with Ministra")
    public record Sync(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"draft", "synced", "pending",
                "retrying", "dead", "discarded"}) String state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "A push is running now")
            boolean inFlight,
            @Schema(description = "Failed attempts of the current push", example = "2") Integer attempts,
            @Schema(description = "retrying: when the next attempt runs") OffsetDateTime nextAttemptAt,
            @Schema(description = "Why the last attempt failed", example = "Ministra answered 503")
            String lastError,
            @Schema(description = "The classified cause of the last failure", example = "rejected")
            String lastErrorKind,
            @Schema(description = "dead: the open dead letter", example = "12") Long deadLetterId,
            @Schema(nullable = true) OffsetDateTime lastPushedAt,
            @Schema(description = "The company's Ministra is unreachable: the push waits for it, spending no"
                    + " attempt") Boolean waitingForMinistra,
            @Schema(description = "While waiting for Ministra: why, since when, and the next probe",
                    example = "Ministra is unreachable since 2026-01-15T09:25:00Z; next probe at 2026-01-15T09:31:00Z")
            String explanation) {
    }
}
