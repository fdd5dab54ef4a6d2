package dev.ministramanager.accounts;

import dev.ministramanager.http.JsonRequests.Validated;

/**
 * Body of {@code POST /accounts} and {@code POST /provision}. The password is write-only: encrypted at rest, never
 * returned, sent to Ministra only on create or when it changes; without one a password is generated and shown once,
 * in this request's answer. {@code companyId} is optional: without it the {@code company} query parameter, or the
 * caller's only company, applies. {@code customerRef} is the billing system's customer id. {@code draft} (create
 * only) stores the account without pushing it until it is pushed or activated. On provision, a missing
 * {@code status} is the company's {@code defaultProvisionStatus}.
 */
public record NewAccount(Long companyId, String login, String password, String fullName, String phone,
                         String accountNumber, String tariff, String status, String stbMac, String comment,
                         String expiresAt, String customerRef, Boolean draft) implements Validated {

    @Override
    public void validate() {
        AccountRules.requireLogin(login);
        AccountRules.checkFields(password, fullName, phone, accountNumber, tariff, status, stbMac, comment,
                expiresAt);
        AccountRules.checkCustomerRef(customerRef);
    }

    boolean isDraft() {
        return Boolean.TRUE.equals(draft);
    }

    @Override
    public String toString() {
        return "NewAccount[companyId=" + companyId + ", login=" + login + "]";
    }
}
