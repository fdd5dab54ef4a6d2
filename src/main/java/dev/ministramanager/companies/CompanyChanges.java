package dev.ministramanager.companies;

import dev.ministramanager.http.JsonRequests.Validated;

/** Body of {@code PATCH /companies/{id}}: only the members present change. */
public record CompanyChanges(String name, String ministraBaseUrl, String ministraUser, String ministraPassword,
                             Integer connectTimeoutMs, Integer readTimeoutMs, Boolean enabled) implements Validated {

    @Override
    public void validate() {
        if (name != null) {
            CompanyRules.requireName(name);
        }
        if (ministraBaseUrl != null) {
            CompanyRules.requireBaseUrl(ministraBaseUrl);
        }
        if (ministraUser != null) {
            CompanyRules.requireText("ministraUser", ministraUser, 200);
        }
        if (ministraPassword != null) {
            CompanyRules.requireText("ministraPassword", ministraPassword, 500);
        }
        CompanyRules.checkTimeout("connectTimeoutMs", connectTimeoutMs);
        CompanyRules.checkTimeout("readTimeoutMs", readTimeoutMs);
    }
}
