package dev.ministramanager.events;

import java.util.List;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/** Body of {@code PATCH /webhooks/{id}}: only the members present change; {@code enabled: true} re-enables. */
public record WebhookChanges(String url, List<String> events, String description, Boolean enabled)
        implements Validated {

    @Override
    public void validate() {
        if (url != null && url.isBlank()) {
            throw ProblemException.invalidField("url", "Field 'url' must not be empty.");
        }
        if (events != null) {
            EventTypes.requireKnown("events", events);
        }
        checkDescription(description);
    }

    static void checkDescription(String description) {
        if (description != null && description.length() > 500) {
            throw ProblemException.invalidField("description", "Field 'description' must be at most 500 characters.");
        }
    }
}
