package dev.ministramanager.events;

import java.util.List;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/**
 * Body of {@code POST /webhooks}: where to send which events of which company. The URL's scheme and address are
 * checked against the installation's setting when the webhook is stored (see {@link WebhookUrls}).
 */
public record NewWebhook(Long companyId, String url, List<String> events, String description, Boolean enabled)
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
