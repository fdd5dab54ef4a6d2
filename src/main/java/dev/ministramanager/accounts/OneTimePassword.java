package dev.ministramanager.accounts;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ApiReply;

/**
 * The subscriber password of one request: the one given, or one generated (only when the work actually runs, so an
 * idempotent replay generates nothing). A generated password appears in the first answer only: the answer stored for
 * {@code Idempotency-Key} replays says that a password was generated, not which.
 */
final class OneTimePassword {

    static final String REVEALED = "generatedPassword";
    static final String GENERATED = "passwordGenerated";
    static final String NOTE = "passwordNote";
    private static final String SHOWN_BEFORE = "A password was generated and shown only in the first answer to this"
            + " request; if it was lost, set a new one with POST /api/v1/accounts/{login}/password.";

    private final String given;
    private final PasswordGenerator generator;
    private String value;

    OneTimePassword(String given, PasswordGenerator generator) {
        this.given = given;
        this.generator = generator;
    }

    boolean generated() {
        return given == null;
    }

    /** The password to store; generated at the first call when none was given. */
    String value() {
        if (value == null) {
            value = given != null ? given : generator.generate();
        }
        return value;
    }

    /** The answer as remembered for replays: it says a password was generated, and never contains it. */
    ApiReply note(ApiReply reply) {
        if (!generated()) {
            return reply;
        }
        Map<String, Object> body = new LinkedHashMap<>(castBody(reply));
        body.put(GENERATED, true);
        noteShownBefore(body);
        return new ApiReply(reply.status(), body, reply.location(), reply.etag(), reply.replayed());
    }

    /** The answer to send: the first one shows the generated password; a replay is sent as it was stored. */
    ApiReply reveal(ApiReply reply) {
        if (reply.replayed() || !generated()) {
            return reply;
        }
        Map<String, Object> body = new LinkedHashMap<>(castBody(reply));
        revealIn(body);
        return new ApiReply(reply.status(), body, reply.location(), reply.etag(), false);
    }

    void revealIn(Map<String, Object> body) {
        if (generated() && value != null) {
            body.remove(NOTE);
            body.put(GENERATED, true);
            body.put(REVEALED, value);
        }
    }

    static void noteShownBefore(Map<String, Object> body) {
        body.put(GENERATED, true);
        body.put(NOTE, SHOWN_BEFORE);
    }

    /** Whether the stored first answer (replayed JSON text) says a password was generated. */
    static boolean wasGenerated(ApiReply replayed, ObjectMapper json) {
        try {
            return replayed.body() instanceof String text && json.readTree(text).path(GENERATED).asBoolean(false);
        } catch (JsonProcessingException unreadable) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castBody(ApiReply reply) {
        return (Map<String, Object>) reply.body();
    }

    @Override
    public String toString() {
        return "OneTimePassword[generated=" + generated() + "]";
    }
}
