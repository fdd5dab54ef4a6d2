package dev.ministramanager.ministra;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful Ministra answer ({@code "status":"OK"}): its {@code results}, the PHP output Ministra appended (the
 * {@code output} member, null when there was none) and how long the call took.
 */
public record MinistraResult(JsonNode results, String phpOutput, long latencyMillis) {

    /** Ministra answers some failed writes with {@code "status":"OK","results":false}. */
    public boolean isFalse() {
        return results != null && results.isBoolean() && !results.booleanValue();
    }
}
