package dev.ministramanager.api;

import java.util.Map;

import dev.ministramanager.ministra.MinistraFailure;

/**
 * What a caller of our API is told when the Ministra call behind its request failed. It lives on the API's side so
 * that the Ministra client knows nothing of the REST API (checked by {@code PackageRulesTest}).
 */
public final class MinistraProblems {

    private MinistraProblems() {
    }

    public static ProblemException of(MinistraFailure failure) {
        String kind = failure.kind().id();
        return switch (failure.kind()) {
            case UNREACHABLE, SERVER_ERROR, GARBLED_ANSWER -> new ProblemException(503, "Ministra unavailable",
                    failure.getMessage(), Map.of("ministraFailure", kind));
            case TIMEOUT -> new ProblemException(504, "Ministra timeout", failure.getMessage(),
                    Map.of("ministraFailure", kind));
            case REFUSED_BY_GUARDRAIL -> new ProblemException(422, "Refused by a safety guardrail",
                    failure.getMessage(), Map.of("ministraFailure", kind));
            case AUTHENTICATION_FAILED, NOT_MINISTRA, REJECTED -> new ProblemException(502, "Ministra refused",
                    failure.getMessage(), failure.ministraError() == null ? Map.of("ministraFailure", kind)
                            : Map.of("ministraFailure", kind, "ministraError", failure.ministraError()));
        };
    }
}
