package dev.ministramanager.events;

import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A webhook as the API answers it (Webhooks' view), for the OpenAPI document only: the REST DSL names it as the
 * {@code responseModel} of the webhook operations, and ApiAnswersMatchTheContractTest validates real answers
 * against it, so a member added to the view and not here fails that test.
 */
@Schema(name = "Webhook", description = "An endpoint that receives the company's events, signed")
public record WebhookAnswer(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://billing.example/hooks/iptv")
        String url,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Event types or patterns",
                example = "[\"account.*\"]") List<String> events,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String description,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean enabled,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Since when its"
                + " deliveries fail") OffsetDateTime failingSince,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Why the service"
                + " disabled it") String disabledReason,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime disabledAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "After a secret"
                + " rotation: until when the previous secret still signs") OffsetDateTime previousSecretValidUntil,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime updatedAt,
        @Schema(description = "Only in the answer that creates or rotates it: the signing secret (shown once)",
                example = "whsec_6q0l1Vb0x3...") String secret) {

    /** {@code GET /webhooks}. */
    @Schema(name = "WebhookList", description = "The company's webhooks")
    public record Listing(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<WebhookAnswer> items) {
    }

    /** {@code DELETE /webhooks/{id}}. */
    @Schema(name = "WebhookDeleted", description = "The webhook deleted")
    public record Deleted(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long id,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "true") boolean deleted) {
    }

    /** {@code GET /webhooks/{id}/deliveries}: WebhookLog.deliveries. */
    @Schema(name = "WebhookAttempts", description = "The latest delivery attempts to a webhook, newest first")
    public record Attempts(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long webhookId,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Attempt> items) {
    }

    /** One attempt of WebhookLog.deliveries. */
    @Schema(name = "WebhookAttempt", description = "One delivery attempt and what the endpoint answered")
    public record Attempt(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "17") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "The delivery"
                    + " (null for a test ping)") Long deliveryId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "evt_9f1c1e0e8d4b4a559a3e2b1d7c1b0a11")
            String eventId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "account.created") String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OffsetDateTime attemptedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "delivered") String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "200")
            Integer statusCode,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "35") long latencyMs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String error,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "The start of the"
                    + " endpoint's answer") String response,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "delivered")
            String deliveryState) {
    }

    /** {@code POST /webhooks/{id}/test}: WebhookDeliveries' answer of one call. */
    @Schema(name = "WebhookTestResult", description = "What the endpoint answered to a signed test event")
    public record TestResult(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long webhookId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "evt_9f1c1e0e8d4b4a559a3e2b1d7c1b0a11")
            String eventId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "delivered") String outcome,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "200")
            Integer statusCode,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "35") long latencyMs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String error,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String response) {
    }

    /** A delivery that failed for good (WebhookLog.deadLetter), and its state after a replay or discard. */
    @Schema(name = "WebhookDeadLetter", description = "An event a webhook did not take after every attempt")
    public record DeadLetter(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "58") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") long webhookId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") long companyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"dead", "pending", "discarded"})
            String state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "evt_9f1c1e0e8d4b4a559a3e2b1d7c1b0a11")
            String eventId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "account.created") String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "account:jdoe")
            String subject,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "8") int attempts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "503") Integer lastStatus,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String lastError,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) OffsetDateTime deadAt) {
    }

    /** {@code GET /webhook-dead-letters}. */
    @Schema(name = "WebhookDeadLetterList", description = "The open webhook dead letters")
    public record DeadLetters(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<DeadLetter> items) {
    }
}
