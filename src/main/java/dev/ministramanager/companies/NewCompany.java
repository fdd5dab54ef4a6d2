package dev.ministramanager.companies;

import dev.ministramanager.http.JsonRequests.Validated;

/**
 * Body of {@code POST /companies}. The Ministra password is write-only: it is encrypted and never returned.
 * {@code sharedMinistra: true} says that using a Ministra URL another company uses is intended.
 */
public record NewCompany(String name, String ministraBaseUrl, String ministraUser, String ministraPassword,
                         Integer connectTimeoutMs, Integer readTimeoutMs, Boolean enabled, Boolean sharedMinistra)
        implements Validated {

    @Override
    public void validate() {
        CompanyRules.requireName(name);
        CompanyRules.requireBaseUrl(ministraBaseUrl);
        CompanyRules.requireUser(ministraUser);
        CompanyRules.requireText("ministraPassword", ministraPassword, 500);
        CompanyRules.checkTimeout("connectTimeoutMs", connectTimeoutMs);
        CompanyRules.checkTimeout("readTimeoutMs", readTimeoutMs);
    }
}
