package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the push routes ({@code routes/accounts-push.camel.yaml}): claim due pushes ({@link PushClaims}), run
 * each push's {@link PushConversation}, and record how it ended: succeeded ({@link PushSuccesses}) or failed
 * ({@link PushFailures}: retrying later, dead-lettered, paused or waiting for the company's Ministra).
 */
public class AccountPushes {

    public static final String CONVERSATION = "push";
    public static final String PUSHING = "pushing";
    public static final String CLAIM = "claim";
    static final String ACTOR = "ministra-push";

    private final SecretCipher cipher;
    private final PushSettings settings;
    private final PushClaims claims;
    private final PushSuccesses successes;
    private final PushFailures failures;

    public AccountPushes(DataSource dataSource, SecretCipher cipher, AuditTrail audit, ObjectMapper json, Clock clock,
                         PushSettings settings, SqlDialect dialect, String claimSql, MeterRegistry metrics,
                         MinistraCircuits circuits) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        PushOutcomes outcomes = new PushOutcomes(jdbc, clock, metrics);
        this.cipher = cipher;
        this.settings = settings;
        this.claims = new PushClaims(named, clock, settings, claimSql);
        this.successes = new PushSuccesses(jdbc, named, transaction, audit, clock, dialect, circuits, outcomes);
        this.failures = new PushFailures(jdbc, transaction, audit, json, clock, settings, circuits, outcomes);
    }

    /** Claims due pushes for the free worker slots, waiting briefly for a slot when all are busy. */
    public List<PushClaim> claim() throws InterruptedException {
        return claims.claim();
    }

    /**
     * Starts the conversation with what the claim read; the worker's slot is freed when the push has failed, or has
     * succeeded and joined a batch to record (the completion moves with the exchange to
     * {@code seda:account-push-record}).
     */
    public void begin(Exchange exchange) {
        PushClaim claim = exchange.getMessage().getBody(PushClaim.class);
        exchange.setVariable(CLAIM, claim);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                claims.finished();
            }
        });
        PushConversation conversation = PushConversation.start(claim.desired(), cipher, settings.sendExpiry(),
                settings.ministraZone());
        exchange.setVariable(CONVERSATION, conversation);
        next(exchange, conversation);
    }

    /**
     * Continues the conversation with what Ministra answered. A Ministra ERROR answer that tells what Ministra has
     * (login in use, account not found) continues it too; any other failure is thrown, to this route's dead-letter
     * channel.
     */
    public void answered(Exchange exchange) {
        PushConversation conversation = exchange.getVariable(CONVERSATION, PushConversation.class);
        Throwable failed = exchange.getVariable(MinistraAnswer.FAILURE, Throwable.class);
        if (failed == null) {
            conversation.answered(exchange.getVariable(MinistraAnswer.RESULT, MinistraResult.class));
        } else if (failed instanceof MinistraFailure failure && failure.kind() == MinistraFailure.Kind.REJECTED) {
            conversation.rejected(failure);
        } else if (failed instanceof RuntimeException unchecked) {
            throw unchecked;
        } else {
            throw new IllegalStateException("The Ministra call failed", failed);
        }
        next(exchange, conversation);
    }

    /** Records pushes that succeeded, gathered by the record route into one batch. */
    public void recordSucceeded(List<Exchange> pushes) {
        successes.record(pushes);
    }

    /** The dead-letter channel of the push route: decides what the failure means. */
    public void failed(Exchange exchange) {
        failures.failed(exchange);
    }

    static OffsetDateTime utcNow(Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static void next(Exchange exchange, PushConversation conversation) {
        exchange.setVariable(PUSHING, conversation.isPending());
        exchange.getMessage().setBody(conversation.isPending() ? conversation.request() : null);
    }
}
