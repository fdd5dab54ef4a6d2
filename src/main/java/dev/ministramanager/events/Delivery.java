package dev.ministramanager.events;

/**
 * One message to send to one endpoint: a claimed delivery of an outbox event, or a ping ({@code deliveryId} null).
 * The secrets are decrypted only for signing and never leave this object. {@code endpointFailing}: the endpoint had
 * failed without a success since, when the delivery was claimed (a success then ends its failure streak).
 */
public record Delivery(Long deliveryId, long webhookId, long companyId, String url, String secret,
                       String previousSecret, String eventId, String type, String payload, int attempts,
                       String claimToken, boolean endpointFailing) {

    public boolean isPing() {
        return deliveryId == null;
    }

    @Override
    public String toString() {
        // never the secrets, should a delivery ever be logged
        return "Delivery[" + (isPing() ? "ping" : deliveryId) + " of " + eventId + " to webhook " + webhookId + "]";
    }
}
