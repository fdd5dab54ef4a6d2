package dev.ministramanager.ministra;

import dev.ministramanager.http.AnswerText;

/**
 * Why a call to Ministra did not succeed, classified so that callers can decide: retry ({@link Kind#isTransient()}),
 * pause the company (authentication), or give up (Ministra refused, or our own guardrail refused to send).
 */
public class MinistraFailure extends RuntimeException {

    public enum Kind {
        /** Connection refused or reset, DNS failure: nothing reached Ministra, or its answer was lost. */
        UNREACHABLE(true),
        /** No (complete) answer within the company's read timeout. */
        TIMEOUT(true),
        /** HTTP 401: the API user or password is wrong (or was rotated on the Ministra side). */
        AUTHENTICATION_FAILED(false),
        /** HTTP 5xx or another unexpected status: the web server or PHP failed. */
        SERVER_ERROR(true),
        /** HTTP 200 but the body is empty, not JSON, truncated or has PHP warning text around the JSON. */
        GARBLED_ANSWER(true),
        /** Well-formed JSON that is not a Ministra envelope: probably not a Ministra API at that URL. */
        NOT_MINISTRA(false),
        /** Ministra answered {@code "status":"ERROR"} (or a result that means failure); the text says why. */
        REJECTED(false),
        /** Our own guardrail refused to send the request; nothing was sent. */
        REFUSED_BY_GUARDRAIL(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        public boolean isTransient() {
            return transientFailure;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String ministraError;

    /**
     * Ministra's error text, and the detail quoting it, are kept (dead letters, audit entries) as text both databases
     * store: PostgreSQL refuses one with a NUL in it.
     */
    public MinistraFailure(Kind kind, String detail, String ministraError, Throwable cause) {
        super(AnswerText.storable(detail), cause);
        this.kind = kind;
        this.ministraError = AnswerText.storable(ministraError);
    }

    public static MinistraFailure guardrail(String detail) {
        return new MinistraFailure(Kind.REFUSED_BY_GUARDRAIL, detail, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Ministra's own error text, for {@link Kind#REJECTED}; null otherwise. */
    public String ministraError() {
        return ministraError;
    }
}
