package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.IdempotencyKeys;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.GroupedExchangeAggregationStrategy;
import org.apache.camel.spi.Registry;

/** Accounts, their push pipeline, dead letters and the REST adapter, bound for the routes of {@code routes/}. */
public class AccountsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        SecretCipher cipher = registry.lookupByNameAndType("secretCipher", SecretCipher.class);
        SqlDialect dialect = registry.lookupByNameAndType("sqlDialect", SqlDialect.class);
        Clock clock = Clock.systemUTC();

        PushSettings settings = new PushSettings(
                integer(camel, "mm.accounts.push.workers"),
                Duration.ofSeconds(integer(camel, "mm.accounts.push.lease-seconds")),
                integer(camel, "mm.accounts.push.max-attempts"),
                Duration.ofMillis(integer(camel, "mm.accounts.push.retry-initial-delay-ms")),
                Double.parseDouble(property(camel, "mm.accounts.push.retry-multiplier")),
                Duration.ofMillis(integer(camel, "mm.accounts.push.retry-max-delay-ms")),
                Double.parseDouble(property(camel, "mm.accounts.push.retry-jitter")),
                Duration.ofSeconds(integer(camel, "mm.accounts.push.auth-pause-seconds")),
                Boolean.parseBoolean(property(camel, "mm.accounts.send-expiry")),
                ZoneId.of(property(camel, "mm.accounts.ministra-time-zone")));

        StoredAccounts stored = new StoredAccounts(dataSource, clock);
        AccountUpdates updates = new AccountUpdates(dataSource, stored, cipher, audit, clock, settings.sendExpiry());
        AccountCommands commands = new AccountCommands(dataSource, stored, updates, cipher, audit, clock);
        DeadLetters deadLetters = new DeadLetters(dataSource, audit, json, clock);
        IdempotencyKeys idempotency = new IdempotencyKeys(dataSource, json, cipher::keyedDigest,
                Duration.ofHours(integer(camel, "mm.api.idempotency-retention-hours")), clock);
        PasswordGenerator passwords = new PasswordGenerator(integer(camel, "mm.accounts.generated-password-length"));
        registry.bind("accountCommands", commands);
        registry.bind("deadLetters", deadLetters);
        registry.bind("passwordGenerator", passwords);
        registry.bind("accountsApi", new AccountsApi(commands,
                new AccountStatuses(dataSource, stored, updates, audit, clock),
                new AccountQueries(dataSource, dialect, stored, json, clock), deadLetters, idempotency, json,
                Duration.ofSeconds(integer(camel, "mm.accounts.provision-max-wait-seconds")), passwords));
        registry.bind("provisionWaits", new ProvisionWaits(dataSource,
                () -> registry.lookupByNameAndType("vertx", Vertx.class)));
        registry.bind("ministraAnswer", new MinistraAnswer());
        registry.bind("pushBatch", new GroupedExchangeAggregationStrategy());
        MeterRegistry metrics = registry.lookupByNameAndType(MetricsConfiguration.REGISTRY, MeterRegistry.class);
        MinistraCircuits circuits = new MinistraCircuits(dataSource, audit, clock,
                integer(camel, "mm.accounts.push.circuit-failure-threshold"),
                Duration.ofMillis(integer(camel, "mm.accounts.push.circuit-probe-interval-ms")), metrics);
        registry.bind("ministraCircuits", circuits);
        registry.bind("pipelineGauges", new PipelineGauges(dataSource, clock, metrics));
        registry.bind("accountPushes", new AccountPushes(dataSource, cipher, audit, json, clock, settings,
                dialect, SqlStatements.load("account-push-claim", dialect), metrics, circuits));
    }

    private static int integer(CamelContext camel, String key) {
        return Integer.parseInt(property(camel, key).trim());
    }

    private static String property(CamelContext camel, String key) {
        return camel.resolvePropertyPlaceholders("{{" + key + "}}");
    }
}
