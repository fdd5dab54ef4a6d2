package dev.ministramanager.companies;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.ministramanager.api.JsonRequests.Validated;

/**
 * Body of {@code POST /companies}. The Ministra password is write-only: it is encrypted and never returned.
 * {@code sharedMinistra: true} says that using a Ministra URL another company uses is intended.
 */
public record NewCompany(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Acme Cable") String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uri", description = "The Ministra portal; /stalker_portal/api/v1/ is added when"
                + " the URL has no path", example = "http://ministra.acme.example") String ministraBaseUrl,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String ministraUser,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 500, writeOnly = true) String ministraPassword,
        @Schema(minimum = "100", maximum = "600000", description = "Default 5000") Integer connectTimeoutMs,
        @Schema(minimum = "100", maximum = "600000", description = "Default 30000") Integer readTimeoutMs,
        @Schema(description = "Default true") Boolean enabled,
        @Schema(description = "true: another company already uses this Ministra URL, and that is intended (two"
                + " companies on one Ministra can overwrite each other's subscribers); otherwise such a URL is 409")
        Boolean sharedMinistra) implements Validated {

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
