package dev.ministramanager.imports;

import java.util.List;

import dev.ministramanager.accounts.AccountChanges;
import dev.ministramanager.accounts.NewAccount;

/**
 * One record of a billing export, by column name; an empty cell is "not given". {@code packages} is the optional
 * package external ids, separated by {@value CsvRows#PACKAGE_SEPARATOR} in the file
 * (null: not given).
 */
public record CsvRow(long line, String login, String password, String fullName, String phone, String accountNumber,
                     String tariff, String status, String stbMac, String customerRef, String expiresAt,
                     List<String> packages) {

    /* The one place where an imported row becomes an account command, checked and applied exactly as a REST create
     * or PATCH is (packages included: each an optional package of the row's plan, or the row is refused). */

    NewAccount toNewAccount(long companyId) {
        return new NewAccount(companyId, login, password, fullName, phone, accountNumber, tariff, status, stbMac,
                null, expiresAt, customerRef, packages, null);
    }

    AccountChanges toChanges() {
        return new AccountChanges(password, fullName, phone, accountNumber, tariff, status, stbMac, null, expiresAt,
                customerRef, packages);
    }
}
