package dev.ministramanager.accounts;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.ministramanager.api.JsonRequests.Validated;

/**
 * Body of {@code POST /accounts} and {@code POST /provision}. The password is write-only: encrypted at rest, never
 * returned, sent to Ministra only on create or when it changes; without one a password is generated and shown once,
 * in this request's answer. {@code companyId} is optional: without it the {@code company} query parameter, or the
 * caller's only company, applies. {@code customerRef} is the billing system's customer id. {@code draft} (create
 * only) stores the account without pushing it until it is pushed or activated. On provision, a missing
 * {@code status} is the company's {@code defaultProvisionStatus}.
 */
@Schema(description = "A new account (POST /accounts, POST /provision)")
public record NewAccount(
        @Schema(description = "Default: the company query parameter, or the caller's only company") Long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9._@-]{1,64}$", minLength = 1, maxLength = 64, example = "jdoe") String login,
        @Schema(description = "Write-only; generated (and returned once) when left out", minLength = 1,
                maxLength = 128, writeOnly = true) String password,
        @Schema(maxLength = 64, example = "John Doe") String fullName,
        @Schema(maxLength = 64) String phone,
        @Schema(description = "Default: the login", maxLength = 64) String accountNumber,
        @Schema(description = "An active tariff plan of the company (its external id)", maxLength = 100,
                example = "basic") String tariff,
        @Schema(allowableValues = {"active", "inactive"}) String status,
        @Schema(description = "The set-top box's MAC, stored as XX:XX:XX:XX:XX:XX", pattern = "^[0-9A-Fa-f]{2}([:.-]?[0-9A-Fa-f]{2}){5}$", example = "00:1A:79:12:34:56") String stbMac,
        @Schema(maxLength = 2000) String comment,
        @Schema(description = "ISO 8601 date-time", format = "date-time") String expiresAt,
        @Schema(description = "The billing customer id", maxLength = 100, example = "C-100") String customerRef,
        @ArraySchema(arraySchema = @Schema(description = "Optional packages subscribed on top of the plan: external"
                + " ids of optional packages of the tariff plan"), maxItems = AccountPackages.MAX_PACKAGES,
                uniqueItems = true, schema = @Schema(maxLength = 100, example = "sport")) List<String> packages,
        @Schema(description = "Create only: store without pushing until pushed or activated") Boolean draft)
        implements Validated {

    @Override
    public void validate() {
        AccountRules.requireLogin(login);
        AccountRules.checkFields(password, fullName, phone, accountNumber, tariff, status, stbMac, comment,
                expiresAt);
        AccountRules.checkCustomerRef(customerRef);
        AccountPackages.checkShape(packages);
    }

    boolean isDraft() {
        return Boolean.TRUE.equals(draft);
    }

    @Override
    public String toString() {
        return "NewAccount[companyId=" + companyId + ", login=" + login + "]";
    }
}
