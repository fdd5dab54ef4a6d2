package dev.ministramanager.http;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
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
     * An answer parsed as it arrives (rows handed on one by one, never held whole): reading it fails once
     * {@code deadlineNanos} ({@link System#nanoTime()}) has passed, as a socket timeout, and once more than
     * {@code maxPartBytes} came since the last {@link #partStarted()}, so that an answer without end costs the deadline
     * and one part of it, not a worker held while bytes flow and not the heap. Closing it leaves the answer open: the
     * caller {@link #release}s it, read to its end or not.
     */
    public static final class TimedAnswer extends FilterInputStream {

        private final long deadlineNanos;
        private final long maxPartBytes;
        private long read;
        private long partStart;

        public TimedAnswer(InputStream answer, long deadlineNanos, long maxPartBytes) {
            super(answer);
            this.deadlineNanos = deadlineNanos;
            this.maxPartBytes = maxPartBytes;
        }

        /** A part (a row) starts: the bound on its bytes counts from here (within a read-ahead buffer). */
        public void partStarted() {
            partStart = read;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new Overdue(read);
            }
            if (read - partStart > maxPartBytes) {
                throw new PartTooLong(maxPartBytes);
            }
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        @Override
        public void close() {
            // released by the caller: closing a connection's stream would drain the rest of an answer without end
        }

        /** The deadline passed while the answer was still arriving. */
        public static final class Overdue extends SocketTimeoutException {

            Overdue(long bytesRead) {
                super("The answer did not arrive whole within the read timeout (" + bytesRead + " bytes had come)");
            }
        }

        /** A part went on past its bound. */
        public static final class PartTooLong extends IOException {

            PartTooLong(long maxPartBytes) {
                super("A part of the answer is longer than " + maxPartBytes + " bytes");
            }
        }
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
