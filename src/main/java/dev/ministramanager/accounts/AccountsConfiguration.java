package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.IdempotencyKeys;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.persistence.DatabaseConfiguration;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.processor.aggregate.GroupedExchangeAggregationStrategy;
import org.apache.camel.spi.Registry;

/**
 * Accounts, their push pipeline, dead letters and the REST adapter, bound for the routes of {@code routes/}.
 *
 * <p>The settings are injected ({@code @PropertyInject}). The shared beans are looked up when {@link #configure}
 * runs, not injected: Camel Main (4.18) injects the fields of every configuration class before it runs the first
 * {@code configure}, so a {@code @BeanInject} of a bean that an earlier configuration binds (the pool, the audit
 * trail) would find nothing and fail the start.
 */
public class AccountsConfiguration implements CamelConfiguration {

    @PropertyInject("mm.accounts.push.workers")
    private int pushWorkers;
    @PropertyInject("mm.accounts.push.lease-seconds")
    private int pushLeaseSeconds;
    @PropertyInject("mm.accounts.push.max-attempts")
    private int pushMaxAttempts;
    @PropertyInject("mm.accounts.push.retry-initial-delay-ms")
    private int retryInitialDelayMillis;
    @PropertyInject("mm.accounts.push.retry-multiplier")
    private double retryMultiplier;
    @PropertyInject("mm.accounts.push.retry-max-delay-ms")
    private int retryMaxDelayMillis;
    @PropertyInject("mm.accounts.push.retry-jitter")
    private double retryJitter;
    @PropertyInject("mm.accounts.push.auth-pause-seconds")
    private int authPauseSeconds;
    @PropertyInject("mm.accounts.send-expiry")
    private boolean sendExpiry;
    @PropertyInject("mm.accounts.ministra-time-zone")
    private String ministraTimeZone;
    @PropertyInject("mm.accounts.push.circuit-failure-threshold")
    private int circuitFailureThreshold;
    @PropertyInject("mm.accounts.push.circuit-probe-interval-ms")
    private int circuitProbeIntervalMillis;
    @PropertyInject("mm.api.idempotency-retention-hours")
    private int idempotencyRetentionHours;
    @PropertyInject("mm.accounts.generated-password-length")
    private int generatedPasswordLength;
    @PropertyInject("mm.accounts.provision-max-wait-seconds")
    private int provisionMaxWaitSeconds;

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType(DatabaseConfiguration.DATA_SOURCE, DataSource.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        SecretCipher cipher = registry.lookupByNameAndType("secretCipher", SecretCipher.class);
        SqlDialect dialect = registry.lookupByNameAndType("sqlDialect", SqlDialect.class);
        MeterRegistry metrics = registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class);
        Clock clock = Clock.systemUTC();

        PushSettings settings = new PushSettings(pushWorkers, Duration.ofSeconds(pushLeaseSeconds), pushMaxAttempts,
                Duration.ofMillis(retryInitialDelayMillis), retryMultiplier, Duration.ofMillis(retryMaxDelayMillis),
                retryJitter, Duration.ofSeconds(authPauseSeconds), sendExpiry, ZoneId.of(ministraTimeZone));

        StoredAccounts stored = new StoredAccounts(dataSource, clock);
        AccountUpdates updates = new AccountUpdates(dataSource, stored, cipher, audit, clock, settings.sendExpiry());
        AccountCommands commands = new AccountCommands(dataSource, stored, updates, cipher, audit, clock);
        DeadLetters deadLetters = new DeadLetters(dataSource, audit, json, clock);
        IdempotencyKeys idempotency = new IdempotencyKeys(dataSource, json, cipher::keyedDigest,
                Duration.ofHours(idempotencyRetentionHours), clock);
        PasswordGenerator passwords = new PasswordGenerator(generatedPasswordLength);
        registry.bind("accountCommands", commands);
        registry.bind("deadLetters", deadLetters);
        registry.bind("passwordGenerator", passwords);
        registry.bind("accountsApi", new AccountsApi(commands,
                new AccountStatuses(dataSource, stored, updates, audit, clock),
                new AccountQueries(dataSource, dialect, stored, json, clock), deadLetters, idempotency, json,
                Duration.ofSeconds(provisionMaxWaitSeconds), passwords));
        registry.bind("provisionWaits", new ProvisionWaits(dataSource,
                () -> registry.lookupByNameAndType("vertx", Vertx.class)));
        registry.bind("ministraAnswer", new MinistraAnswer());
        registry.bind("pushBatch", new GroupedExchangeAggregationStrategy());
        MinistraCircuits circuits = new MinistraCircuits(dataSource, audit, clock, circuitFailureThreshold,
                Duration.ofMillis(circuitProbeIntervalMillis), metrics);
        registry.bind("ministraCircuits", circuits);
        registry.bind("pipelineGauges", new PipelineGauges(dataSource, clock, metrics));
        registry.bind("accountPushes", new AccountPushes(dataSource, cipher, audit, json, clock, settings,
                dialect, SqlStatements.load("account-push-claim", dialect), metrics, circuits));
    }
}
