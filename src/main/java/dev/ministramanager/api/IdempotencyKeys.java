package dev.ministramanager.api;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code Idempotency-Key} for POST requests: the first answer is stored, per API user and key, in the same database
 * transaction as the work it answers, so the work and its remembered answer exist together or not at all. A repeat
 * with the same request gets the stored answer (header {@code Idempotent-Replayed: true}); the same key with another
 * request is 422. A concurrent repeat waits on the key's row and then replays. Failed requests store nothing, so
 * they can be retried with the same key. Keys are kept for {@code mm.api.idempotency-retention-hours}.
 */
public class IdempotencyKeys {

    private static final String DELETE_EXPIRED = SqlStatements.load("idempotency-keys-delete-expired");
    private static final String INSERT_KEY = SqlStatements.load("idempotency-keys-insert");
    private static final String RECORD_RESPONSE = SqlStatements.load("idempotency-keys-record-response");
    private static final String BY_KEY = SqlStatements.load("idempotency-keys-by-key");

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    /** A keyed digest (HMAC) of the request's description: the request may hold secrets, the digest does not. */
    private final UnaryOperator<String> keyedDigest;
    private final Duration retention;
    private final Clock clock;

    public IdempotencyKeys(DataSource dataSource, ObjectMapper json, UnaryOperator<String> keyedDigest,
                           Duration retention, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.json = json;
        this.keyedDigest = keyedDigest;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Runs {@code work} (which may open its own transaction: it joins this one) unless the key was seen before.
     *
     * @param request what identifies the request besides the key: route, path and body (it may hold secrets; only
     *                a keyed digest of it is stored); described only when there is a key
     */
    public ApiReply run(long userId, String key, Supplier<String> request, Supplier<ApiReply> work) {
        if (key == null) {
            return work.get();
        }
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.invalidField("Idempotency-Key", "The Idempotency-Key header must be 1 to 200"
                    + " visible ASCII characters.");
        }
        String fingerprint = keyedDigest.apply(request.get());
        Instant now = clock.instant();
        jdbc.update(DELETE_EXPIRED, userId, key,
                Timestamp.from(now.minus(retention)));
        ApiReply stored = replay(userId, key, fingerprint);
        if (stored != null) {
            return stored;
        }
        try {
            return transaction.execute(status -> {
                jdbc.update(INSERT_KEY, userId, key, fingerprint, Timestamp.from(now));
                ApiReply reply = work.get();
                jdbc.update(RECORD_RESPONSE, reply.status(), serialise(reply.body()),
                        reply.location(), reply.etag(), userId, key);
                return reply;
            });
        } catch (DuplicateKeyException concurrentRepeat) {
            ApiReply first = replay(userId, key, fingerprint);
            if (first == null) {
                throw concurrentRepeat;
            }
            return first;
        }
    }

    private ApiReply replay(long userId, String key, String fingerprint) {
        List<ApiReply> found = jdbc.query(BY_KEY, (rs, i) -> {
                    if (!rs.getString(1).equals(fingerprint)) {
                        throw new ProblemException(422, "Unprocessable request", "This Idempotency-Key was used"
                                + " for another request; use a new key for a new request.",
                                Map.of("field", "Idempotency-Key"));
                    }
                    return new ApiReply(rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), true);
                }, userId, key);
        return found.isEmpty() ? null : found.get(0);
    }

    private String serialise(Object body) {
        try {
            return body == null ? null : json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An answer must be JSON-serialisable", e);
        }
    }
}
