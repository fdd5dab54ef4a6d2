package dev.ministramanager.accounts;

import dev.ministramanager.http.JsonRequests.Validated;

/**
 * Body of {@code POST /accounts} and {@code POST /provision}. The password is write-only: encrypted at rest, never
 * returned, sent to Ministra only on create or when it changes. {@code companyId} is optional: without it the
 * {@code company} query parameter, or the caller's only company, applies.
 */
public record NewAccount(Long companyId, String login, String password, String fullName, String phone,
                         String accountNumber, String tariff, String status, String stbMac, String comment,
                         String expiresAt) implements Validated {

    @Override
    public void validate() {
        AccountRules.requireLogin(login);
        AccountRules.checkFields(password, fullName, phone, accountNumber, tariff, status, stbMac, comment,
                expiresAt);
    }

    @Override
    public String toString() {
        return "NewAccount[companyId=" + companyId + ", login=" + login + "]";
    }
}
