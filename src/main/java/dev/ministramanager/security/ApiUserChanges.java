package dev.ministramanager.security;

import java.util.List;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/** Body of {@code PATCH /users/{username}}: only the members present change. */
public record ApiUserChanges(String role, String password, Boolean allCompanies, List<Long> companies,
                             Boolean enabled) implements Validated {

    @Override
    public void validate() {
        checkRole(role, false);
        checkPassword(password);
        checkCompanies(companies);
    }

    static void checkRole(String role, boolean required) {
        if (role == null && !required) {
            return;
        }
        if (role == null || !List.of("viewer", "manager", "admin").contains(role)) {
            throw ProblemException.invalidField("role", "Field 'role' must be viewer, manager or admin.");
        }
    }

    static void checkPassword(String password) {
        if (password != null && (password.length() < 12 || password.length() > 200)) {
            throw ProblemException.invalidField("password", "Field 'password' must be 12 to 200 characters.");
        }
    }

    static void checkCompanies(List<Long> companies) {
        if (companies != null && companies.stream().anyMatch(id -> id == null || id <= 0)) {
            throw ProblemException.invalidField("companies", "Field 'companies' must list company ids.");
        }
    }
}
