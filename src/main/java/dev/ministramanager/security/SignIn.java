package dev.ministramanager.security;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /session}: an API user's name and password. */
@Schema(name = "SignIn", description = "An API user's name and password")
public record SignIn(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 100, example = "ada.admin")
        String username,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 1000, writeOnly = true)
        String password) implements Validated {

    @Override
    public void validate() {
        if (username == null || username.isBlank() || username.length() > 100) {
            throw ProblemException.invalidField("username", "Field 'username' is required.");
        }
        if (password == null || password.isEmpty() || password.length() > 1000) {
            throw ProblemException.invalidField("password", "Field 'password' is required.");
        }
    }

    @Override
    public String toString() {
        return "SignIn[username=" + username + ", password=***]";
    }
}
