package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.IdempotencyKeys;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.processor.aggregate.GroupedExchangeAggregationStrategy;

/**
 * Accounts, their push pipeline, dead letters and the REST adapter, bound for the routes of {@code routes/}.
 *
 * <p>The settings are injected ({@code @PropertyInject}). The beans are bound lazily, each built at its first lookup
 * from its {@code @BeanInject} parameters: Camel Main (4.18) injects every configuration class before it runs the
 * first {@code configure}, and the beans these are built from (the pool, the audit trail) are bound by earlier
 * configurations' {@code configure}, so a {@code @BeanInject} field would find nothing and fail the start.
 */
public class AccountsConfiguration implements CamelConfiguration {

    private final Clock clock = Clock.systemUTC();

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

    /** Vert.x is bound by platform-http when its server starts, after these beans are built: found at first use. */
    @BindToRegistry(value = "provisionWaits", lazy = true)
    public ProvisionWaits provisionWaits(CamelContext camel, @BeanInject("dataSource") DataSource dataSource) {
        return new ProvisionWaits(dataSource, () -> camel.getRegistry().lookupByNameAndType("vertx", Vertx.class));
    }

    @BindToRegistry(value = "storedAccounts", lazy = true)
    public StoredAccounts storedAccounts(@BeanInject("dataSource") DataSource dataSource) {
        return new StoredAccounts(dataSource, clock);
    }

    @BindToRegistry(value = "accountUpdates", lazy = true)
    public AccountUpdates accountUpdates(@BeanInject("dataSource") DataSource dataSource,
                                         @BeanInject StoredAccounts stored, @BeanInject SecretCipher cipher,
                                         @BeanInject AuditTrail audit) {
        return new AccountUpdates(dataSource, stored, cipher, audit, clock, sendExpiry);
    }

    @BindToRegistry(value = "accountCommands", lazy = true)
    public AccountCommands accountCommands(@BeanInject("dataSource") DataSource dataSource,
                                           @BeanInject SqlDialect dialect, @BeanInject StoredAccounts stored,
                                           @BeanInject AccountUpdates updates, @BeanInject SecretCipher cipher,
                                           @BeanInject AuditTrail audit) {
        return new AccountCommands(dataSource, dialect, stored, updates, cipher, audit, clock);
    }

    @BindToRegistry(value = "deadLetters", lazy = true)
    public DeadLetters deadLetters(@BeanInject("dataSource") DataSource dataSource, @BeanInject AuditTrail audit,
                                   @BeanInject("json") ObjectMapper json) {
        return new DeadLetters(dataSource, audit, json, clock);
    }

    @BindToRegistry(value = "passwordGenerator", lazy = true)
    public PasswordGenerator passwordGenerator() {
        return new PasswordGenerator(generatedPasswordLength);
    }

    @BindToRegistry(value = "accountsApi", lazy = true)
    public AccountsApi accountsApi(@BeanInject("dataSource") DataSource dataSource, @BeanInject SqlDialect dialect,
                                   @BeanInject("json") ObjectMapper json, @BeanInject AuditTrail audit,
                                   @BeanInject SecretCipher cipher, @BeanInject StoredAccounts stored,
                                   @BeanInject AccountUpdates updates, @BeanInject AccountCommands commands,
                                   @BeanInject DeadLetters deadLetters, @BeanInject PasswordGenerator passwords) {
        IdempotencyKeys idempotency = new IdempotencyKeys(dataSource, json, cipher::keyedDigest,
                Duration.ofHours(idempotencyRetentionHours), clock);
        return new AccountsApi(commands, new AccountStatuses(dataSource, stored, updates, audit, clock),
                new AccountQueries(dataSource, dialect, stored, json, clock), deadLetters, idempotency, json,
                Duration.ofSeconds(provisionMaxWaitSeconds), passwords);
    }

    @BindToRegistry(value = "ministraAnswer", lazy = true)
    public MinistraAnswer ministraAnswer() {
        return new MinistraAnswer();
    }

    @BindToRegistry(value = "pushBatch", lazy = true)
    public GroupedExchangeAggregationStrategy pushBatch() {
        return new GroupedExchangeAggregationStrategy();
    }

    @BindToRegistry(value = "ministraCircuits", lazy = true)
    public MinistraCircuits ministraCircuits(@BeanInject("dataSource") DataSource dataSource,
                                             @BeanInject AuditTrail audit,
                                             @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics) {
        return new MinistraCircuits(dataSource, audit, clock, circuitFailureThreshold,
                Duration.ofMillis(circuitProbeIntervalMillis), metrics);
    }

    @BindToRegistry(value = "pipelineGauges", lazy = true)
    public PipelineGauges pipelineGauges(@BeanInject("dataSource") DataSource dataSource,
                                         @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics) {
        return new PipelineGauges(dataSource, clock, metrics);
    }

    @BindToRegistry(value = "accountPushes", lazy = true)
    public AccountPushes accountPushes(@BeanInject("dataSource") DataSource dataSource, @BeanInject SqlDialect dialect,
                                       @BeanInject("json") ObjectMapper json, @BeanInject AuditTrail audit,
                                       @BeanInject SecretCipher cipher,
                                       @BeanInject(MetricsConfiguration.REGISTRY) MeterRegistry metrics,
                                       @BeanInject MinistraCircuits circuits) {
        PushSettings settings = new PushSettings(pushWorkers, Duration.ofSeconds(pushLeaseSeconds), pushMaxAttempts,
                Duration.ofMillis(retryInitialDelayMillis), retryMultiplier, Duration.ofMillis(retryMaxDelayMillis),
                retryJitter, Duration.ofSeconds(authPauseSeconds), sendExpiry, ZoneId.of(ministraTimeZone));
        return new AccountPushes(dataSource, cipher, audit, json, clock, settings, dialect,
                SqlStatements.load("account-push-claim", dialect), metrics, circuits);
    }

    /**
     * The pipeline's gauges are built here, at start, although nothing calls them: they exist for their meters. A
     * lookup, as {@code configure} is given only the context.
     */
    @Override
    public void configure(CamelContext camel) {
        camel.getRegistry().lookupByNameAndType("pipelineGauges", PipelineGauges.class);
    }
}
