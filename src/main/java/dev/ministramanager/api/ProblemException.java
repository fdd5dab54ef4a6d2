package dev.ministramanager.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer the API gives instead of a result: rendered as RFC 9457 problem+json by the {@code rest-api} route
 * configuration. Thrown by validation, security and the routes themselves; nothing is stored when one is thrown.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extensions;

    public ProblemException(int status, String title, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extensions = extensions;
    }

    public static ProblemException invalidField(String field, String detail) {
        return new ProblemException(400, "Invalid request", detail, Map.of("field", field));
    }

    public static ProblemException unprocessable(String field, String detail) {
        return new ProblemException(422, "Unprocessable request", detail, Map.of("field", field));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, Map.of());
    }

    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(409, "Conflict", detail, Map.of("field", field));
    }

    public int status() {
        return status;
    }

    /** The problem+json document: type, title, status, detail, then the extension members. */
    public Map<String, Object> toDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("type", "about:blank");
        document.put("title", title);
        document.put("status", status);
        document.put("detail", getMessage());
        document.putAll(extensions);
        return document;
    }
}
