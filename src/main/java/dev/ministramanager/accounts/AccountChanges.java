package dev.ministramanager.accounts;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.ministramanager.api.JsonRequests.Validated;

/**
 * Body of {@code PATCH /accounts/{login}}: only the members present change; an empty string clears an optional
 * field (fullName, phone, stbMac, comment, expiresAt, customerRef). The login cannot change: it is the account's
 * identity in Ministra. {@code packages} replaces the whole list of optional packages.
 */
@Schema(description = "The members to change; an empty string clears an optional one")
public record AccountChanges(
        @Schema(minLength = 1, maxLength = 128, writeOnly = true) String password,
        @Schema(maxLength = 64) String fullName,
        @Schema(maxLength = 64) String phone,
        @Schema(maxLength = 64) String accountNumber,
        @Schema(maxLength = 100, example = "premium") String tariff,
        @Schema(allowableValues = {"active", "inactive"}) String status,
        @Schema(description = "A MAC, or empty for none", example = "00:1A:79:12:34:56") String stbMac,
        @Schema(maxLength = 2000) String comment,
        @Schema(description = "ISO 8601 date-time, or empty for none") String expiresAt,
        @Schema(maxLength = 100) String customerRef,
        @ArraySchema(arraySchema = @Schema(description = "The complete list of optional packages; [] for none"),
                maxItems = AccountPackages.MAX_PACKAGES, uniqueItems = true,
                schema = @Schema(maxLength = 100, example = "sport")) List<String> packages)
        implements Validated {

    static AccountChanges status(String status) {
        return new AccountChanges(null, null, null, null, null, status, null, null, null, null, null);
    }

    static AccountChanges password(String password) {
        return new AccountChanges(password, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public void validate() {
        AccountRules.checkFields(password, fullName, phone, accountNumber, tariff, status, stbMac, comment,
                expiresAt);
        AccountRules.checkCustomerRef(customerRef);
        AccountPackages.checkShape(packages);
    }

    @Override
    public String toString() {
        return "AccountChanges[password=" + (password == null ? "unchanged" : "***") + "]";
    }
}
