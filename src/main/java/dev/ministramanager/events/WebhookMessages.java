package dev.ministramanager.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.security.SecretCipher;

/**
 * What a delivery sends: the message body of an outbox event, and the endpoint's signing secrets. A secret is
 * decrypted once per stored value, not for every delivery (a rotation stores a new value).
 */
final class WebhookMessages {

    /** More stored secrets than this (endpoints times rotations) and the remembered ones are forgotten. */
    private static final int SECRETS_REMEMBERED = 10_000;

    private final SecretCipher cipher;
    private final ObjectMapper json;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    WebhookMessages(SecretCipher cipher, ObjectMapper json) {
        this.cipher = cipher;
        this.json = json;
    }

    /** The secret stored encrypted as {@code encrypted}. */
    String secret(String encrypted) {
        if (secrets.size() > SECRETS_REMEMBERED) {
            secrets.clear();
        }
        return secrets.computeIfAbsent(encrypted, cipher::decrypt);
    }

    /** The previous secret while its overlap lasts; else null. */
    String previousSecret(String encrypted, OffsetDateTime until, OffsetDateTime now) {
        return encrypted != null && until != null && until.isAfter(now) ? secret(encrypted) : null;
    }

    /**
     * The body: {@code {"id","type","timestamp","companyId","subject","data"}}. {@code data} is written as stored: the
     * outbox holds it as JSON that it serialised itself (EventOutbox), so it is not parsed again for every delivery.
     */
    String payload(String eventId, String type, long companyId, String subject, OffsetDateTime at, String data) {
        StringWriter body = new StringWriter(256 + data.length());
        try (JsonGenerator out = json.getFactory().createGenerator(body)) {
            out.writeStartObject();
            out.writeStringField("id", eventId);
            out.writeStringField("type", type);
            out.writeStringField("timestamp", at.toInstant().toString());
            out.writeNumberField("companyId", companyId);
            out.writeStringField("subject", subject);
            out.writeFieldName("data");
            out.writeRawValue(data);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toString();
    }
}
