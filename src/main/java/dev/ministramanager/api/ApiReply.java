package dev.ministramanager.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A route's answer with its status and the headers an answer may carry (Location, ETag); written onto the message
 * and rendered by {@link ApiResponses}. A replayed answer already is JSON text.
 */
public record ApiReply(int status, Object body, String location, String etag, boolean replayed) {

    public static ApiReply of(int status, Object body) {
        return new ApiReply(status, body, null, null, false);
    }

    public ApiReply withLocation(String newLocation) {
        return new ApiReply(status, body, newLocation, etag, replayed);
    }

    public ApiReply withEtag(String newEtag) {
        return new ApiReply(status, body, location, newEtag, replayed);
    }

    public void writeTo(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (location != null) {
            message.setHeader("Location", location);
        }
        if (etag != null) {
            message.setHeader("ETag", etag);
        }
        if (replayed) {
            message.setHeader("Idempotent-Replayed", "true");
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(body);
    }
}
