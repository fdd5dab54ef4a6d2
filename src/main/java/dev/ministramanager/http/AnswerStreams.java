package dev.ministramanager.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * The end of an HTTP answer read from the connection's stream (camel-http with its stream cache off), as the Ministra
 * client and the webhook delivery read them: only as much as they keep, and only for as long as they wait.
 */
public final class AnswerStreams {

    private static final int CHUNK = 8_192;

    private AnswerStreams() {
    }

    /**
     * What {@link #read} got of an answer: its first bytes (at most the bound); whether the answer ended; whether it
     * went on past the bound; and the failure that cut it off, if one did (the bytes are then those before it).
     * An answer that neither ended, nor went past the bound, nor failed was still arriving at the deadline.
     */
    public record BoundedRead(byte[] bytes, boolean ended, boolean longer, IOException failure) {

        public boolean overdue() {
            return !ended && !longer && failure == null;
        }
    }

    /**
     * Reads an answer up to {@code maxBytes} and until {@code deadlineNanos} ({@link System#nanoTime()}), whichever
     * comes first, then closes it (read to its end: the connection is reused) or aborts it (read in part: the
     * connection is dropped rather than drained, which an answer without end never would be). A read still blocked
     * at the deadline returns within the connection's socket timeout, so a server trickling its answer holds the
     * caller for at most the deadline and one socket timeout, however long its answer.
     */
    public static BoundedRead read(InputStream stream, int maxBytes, long deadlineNanos) {
        ByteArrayOutputStream read = new ByteArrayOutputStream(Math.min(maxBytes + 1, CHUNK));
        byte[] chunk = new byte[CHUNK];
        boolean ended = false;
        IOException failure = null;
        try {
            while (read.size() <= maxBytes && System.nanoTime() - deadlineNanos < 0) {
                int n = stream.read(chunk, 0, Math.min(chunk.length, maxBytes + 1 - read.size()));
                if (n < 0) {
                    ended = true;
                    break;
                }
                read.write(chunk, 0, n);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            release(stream, ended);
        }
        byte[] bytes = read.toByteArray();
        boolean longer = bytes.length > maxBytes;
        return new BoundedRead(longer ? Arrays.copyOf(bytes, maxBytes) : bytes, ended, longer, failure);
    }

    /**
     * Closes an answer read to its end, so that its connection is reused; aborts one read in part, so that its
     * connection is dropped rather than drained (an answer without end would never be).
     */
    private static void release(InputStream stream, boolean readToEnd) {
        try {
            if (!readToEnd && stream instanceof EofSensorInputStream connection) {
                connection.abort();
            } else {
                stream.close();
            }
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
