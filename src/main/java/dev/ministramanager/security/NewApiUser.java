package dev.ministramanager.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.regex.Pattern;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/** Body of {@code POST /users}: a new API user, with a password for HTTP Basic or none (token only). */
public record NewApiUser(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[a-z0-9][a-z0-9._@-]{1,99}$", example = "billing") String username,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"viewer", "manager", "admin"}) String role,
        @Schema(description = "For HTTP Basic; 12 characters or more", minLength = 12, writeOnly = true)
        String password,
        @Schema(description = "Sees every company") Boolean allCompanies,
        @Schema(description = "The ids of the companies the user may see") List<Long> companies)
        implements Validated {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,99}");

    @Override
    public void validate() {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ProblemException.invalidField("username", "Field 'username' is required: 2 to 100 characters,"
                    + " lower-case letters, digits and . _ @ -, starting with a letter or digit.");
        }
        ApiUserChanges.checkRole(role, true);
        ApiUserChanges.checkPassword(password);
        ApiUserChanges.checkCompanies(companies);
    }
}
