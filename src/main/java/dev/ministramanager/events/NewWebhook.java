package dev.ministramanager.events;

import java.util.List;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /webhooks}: where to send which events of which company. The URL's scheme and address are
 * checked against the installation's setting when the webhook is stored (see {@link WebhookUrls}).
 */
@Schema(name = "NewWebhook", description = "A webhook to create")
public record NewWebhook(
        @Schema(description = "The company whose events it receives (or ?company=)", example = "1") Long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Where the signed events are POSTed (http"
                + " or https, as the installation allows)", maxLength = 2000,
                example = "https://billing.example/hooks/iptv")
        String url,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Event types or patterns such as account.*"
                + " or *", example = "[\"account.*\"]") List<String> events,
        @Schema(maxLength = 500, example = "Billing sync") String description,
        @Schema(description = "Delivers from the start (default true)") Boolean enabled)
        implements Validated {

    @Override
    public void validate() {
        if (url == null || url.isBlank()) {
            throw ProblemException.invalidField("url", "Field 'url' is required.");
        }
        EventTypes.requireKnown("events", events);
        WebhookChanges.checkDescription(description);
    }
}
