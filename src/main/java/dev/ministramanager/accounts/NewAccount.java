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
        AccountRules.checkPassword(password);
        AccountRules.checkText("fullName", fullName, AccountRules.TEXT_MAX);
        AccountRules.checkText("phone", phone, AccountRules.TEXT_MAX);
        AccountRules.checkAccountNumber(accountNumber);
        AccountRules.checkTariff(tariff);
        AccountRules.checkStatus(status);
        if (stbMac != null && !stbMac.isEmpty()) {
            AccountRules.canonicalMac(stbMac);
        }
        AccountRules.checkText("comment", comment, AccountRules.COMMENT_MAX);
        if (expiresAt != null) {
            AccountRules.expiry(expiresAt);
        }
    }

    @Override
    public String toString() {
        return "NewAccount[companyId=" + companyId + ", login=" + login + "]";
    }
}
