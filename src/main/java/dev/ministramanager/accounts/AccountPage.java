package dev.ministramanager.accounts;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** A page of {@code GET /accounts} (AccountQueries.list), for the OpenAPI document only; see {@link AccountAnswer}. */
@Schema(name = "AccountPage", description = "A page of accounts")
public record AccountPage(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<AccountAnswer> items,
        @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last page")
        String nextCursor) {
}
