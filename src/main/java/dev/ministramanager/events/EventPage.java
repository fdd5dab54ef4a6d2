package dev.ministramanager.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /events} (EventFeed.page), for the OpenAPI document only; see {@link WebhookAnswer}. */
@Schema(name = "EventPage", description = "A page of the company's events, oldest first")
public record EventPage(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Event> items,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Pass as after for the next page",
                example = "1042") long next) {

    /** One event, as the stream and webhooks carry it. */
    @Schema(name = "Event", description = "Something that happened to a company's records")
    public record Event(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Its place in the company's"
                    + " stream", example = "1042") long sequence,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "evt_9f1c1e0e8d4b4a559a3e2b1d7c1b0a11")
            String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "account.created") String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "account:jdoe")
            String subject,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime timestamp,
            @Schema(description = "What the event type carries", additionalProperties =
                    Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> data) {
    }
}
