package dev.ministramanager.http;

import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * The end of an HTTP answer read from the connection's stream (camel-http with its stream cache off), as the Ministra
 * client and the webhook delivery read them: only as much as they keep.
 */
public final class AnswerStreams {

    private AnswerStreams() {
    }

    /**
     * Closes an answer read to its end, so that its connection is reused; aborts one read in part, so that its
     * connection is dropped rather than drained (an answer without end would never be).
     */
    public static void release(InputStream stream, boolean readToEnd) {
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
