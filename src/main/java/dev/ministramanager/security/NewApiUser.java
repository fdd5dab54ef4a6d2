package dev.ministramanager.security;

import java.util.List;
import java.util.regex.Pattern;

import dev.ministramanager.http.JsonRequests.Validated;
import dev.ministramanager.http.ProblemException;

/** Body of {@code POST /users}: a new API user, with a password for HTTP Basic or none (token only). */
public record NewApiUser(String username, String role, String password, Boolean allCompanies, List<Long> companies)
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
