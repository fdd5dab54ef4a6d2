package dev.ministramanager.accounts;

import dev.ministramanager.http.JsonRequests.Validated;

/**
 * Body of {@code PATCH /accounts/{login}}: only the members present change; an empty string clears an optional
 * field (fullName, phone, stbMac, comment, expiresAt, customerRef). The login cannot change: it is the account's
 * identity in Ministra.
 */
public record AccountChanges(String password, String fullName, String phone, String accountNumber, String tariff,
                             String status, String stbMac, String comment, String expiresAt, String customerRef)
        implements Validated {

    static AccountChanges status(String status) {
        return new AccountChanges(null, null, null, null, null, status, null, null, null, null);
    }

    static AccountChanges password(String password) {
        return new AccountChanges(password, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public void validate() {
        AccountRules.checkFields(password, fullName, phone, accountNumber, tariff, status, stbMac, comment,
                expiresAt);
        AccountRules.checkCustomerRef(customerRef);
    }

    @Override
    public String toString() {
        return "AccountChanges[password=" + (password == null ? "unchanged" : "***") + "]";
    }
}
