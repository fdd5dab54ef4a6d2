package dev.ministramanager.imports;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answers of the import operations, for the OpenAPI document only (the REST DSL names them as response models;
 * ApiAnswersMatchTheContractTest validates real answers against them).
 */
final class ImportAnswers {

    private ImportAnswers() {
    }

    @Schema(name = "ImportJob", description = "An import job: its state, progress and where its report is")
    record Job(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "7") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"ministra", "csv"}) String kind,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"running", "succeeded", "failed"})
            String state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time") String startedAt,
            @Schema(nullable = true, format = "date-time") String finishedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Progress progress,
            @Schema(nullable = true, description = "Why the job failed") String failure,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Every row's outcome as CSV",
                    example = "/api/v1/imports/7/report") String report) {
    }

    @Schema(name = "ImportProgress", description = "Rows read and what became of them")
    record Progress(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1500") long rowsRead,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Ministra rows we did not know, now"
                    + " ours", example = "0") long adopted,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1200") long created,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "290") long updated,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Accounts we knew: compared, not"
                    + " overwritten", example = "0") long compared,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10") long refused,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "250.5") double rowsPerSecond,
            @Schema(nullable = true, description = "Rows the job will read in all, where known (CSV)")
            Long expectedRows,
            @Schema(nullable = true, description = "Estimated seconds left while running, where known") Long secondsLeft) {
    }

    @Schema(name = "CsvImportCheck", description = "A CSV dry run: what a real run would do; nothing is stored")
    record CsvCheck(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean dryRun,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long rowsRead,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long created,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long updated,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long refused,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<RefusedRow> refusedRows) {
    }

    @Schema(name = "ImportRefusedRow", description = "A row that is not applied, and why")
    record RefusedRow(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The record's line; the header is"
                    + " line 1", example = "4") long line,
            @Schema(nullable = true) String login,
            @Schema(nullable = true, description = "The column at fault (columns: the field count)") String field,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Field 'stbMac' must be a MAC address"
                    + " such as 00:1A:79:12:34:56.") String reason) {
    }

    @Schema(name = "MinistraImportCheck", description = "A Ministra dry run: what a real run would do")
    record MinistraCheck(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean dryRun,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "120") long rowsRead,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "100") long adopted,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "18") long compared,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long withDifferences,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2") long refused,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Refused rows per field at fault"
                    + " (login: a box without an account; tariff: an archived or unknown plan; stbMac)",
                    example = "{\"login\": 1, \"tariff\": 1}")
            Map<String, Long> refusedByField) {
    }
}
