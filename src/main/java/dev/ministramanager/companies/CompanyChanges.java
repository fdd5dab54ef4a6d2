package dev.ministramanager.companies;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/**
 * Body of {@code PATCH /companies/{id}}: only the members present change. {@code defaultProvisionStatus} is the status
 * a quick provision gives an account when the request names none ({@code inactive}: "until paid").
 * {@code sharedMinistra: true} says that moving to a Ministra URL another company uses is intended.
 */
public record CompanyChanges(String name, String ministraBaseUrl, String ministraUser, String ministraPassword,
                             Integer connectTimeoutMs, Integer readTimeoutMs, Boolean enabled,
                             String defaultProvisionStatus, Boolean sharedMinistra) implements Validated {

    @Override
    public void validate() {
        if (name != null) {
            CompanyRules.requireName(name);
        }
        if (ministraBaseUrl != null) {
            CompanyRules.requireBaseUrl(ministraBaseUrl);
        }
        if (ministraUser != null) {
            CompanyRules.requireUser(ministraUser);
        }
        if (ministraPassword != null) {
            CompanyRules.requireText("ministraPassword", ministraPassword, 500);
        }
        CompanyRules.checkTimeout("connectTimeoutMs", connectTimeoutMs);
        CompanyRules.checkTimeout("readTimeoutMs", readTimeoutMs);
        if (defaultProvisionStatus != null && !defaultProvisionStatus.equals("active")
                && !defaultProvisionStatus.equals("inactive")) {
            throw ProblemException.invalidField("defaultProvisionStatus", "Field 'defaultProvisionStatus' must be"
                    + " 'active' or 'inactive'.");
        }
    }
}
