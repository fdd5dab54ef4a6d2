package dev.ministramanager.accounts;

import dev.ministramanager.api.JsonRequests.Validated;

/**
 * Body of {@code POST /accounts/{login}/password}: the new subscriber password, or none (an empty body or no
 * {@code password}) to have one generated and shown once, in this answer.
 */
public record PasswordChange(String password) implements Validated {

    @Override
    public void validate() {
        AccountRules.checkPassword(password);
    }

    @Override
    public String toString() {
        return "PasswordChange[password=" + (password == null ? "generate" : "***") + "]";
    }
}
