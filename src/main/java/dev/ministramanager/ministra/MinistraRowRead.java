package dev.ministramanager.ministra;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A read whose {@code results} array is handed over one row at a time while the answer is still arriving (route
 * {@code ministra-read-rows}), so that a listing or a batch is never held whole in memory.
 *
 * @param request       the GET (guardrails as for every request)
 * @param readTimeoutMs the socket read timeout for this read, or null for the company's own
 * @param sink          receives each row as it is parsed. The answer can still turn out bad after some rows (a
 *                      truncated body, trailing PHP text): a sink keeps what it got until the read has returned, and
 *                      may throw to stop the read (a size limit or a deadline)
 */
public record MinistraRowRead(MinistraRequest request, Integer readTimeoutMs, RowSink sink) {

    /** Receives the rows of one read, in Ministra's order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(JsonNode row);
    }

    /** How a row read ended when the envelope was complete and {@code "status":"OK"}. */
    public record Outcome(long rows, String phpOutput, long latencyMillis) {
    }
}
