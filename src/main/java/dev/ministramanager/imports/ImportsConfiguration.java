package dev.ministramanager.imports;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;

import javax.sql.DataSource;

import dev.ministramanager.accounts.AccountCommands;
import dev.ministramanager.accounts.PasswordGenerator;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.reconciliation.Adoptions;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.util.TimeUtils;

/**
 * Onboarding imports: a company's existing Ministra, and billing exports as CSV; see mm.imports.*. Settings are
 * injected; the beans are bound lazily, each built at its first lookup from beans that other configurations bind
 * (Camel Main injects every configuration before it configures any).
 */
public class ImportsConfiguration implements CamelConfiguration {

    @PropertyInject("mm.imports.chunk-size")
    private int chunkSize;
    @PropertyInject("mm.imports.lease")
    private String lease;
    @PropertyInject("mm.imports.ministra-listing-timeout")
    private String listingTimeout;
    @PropertyInject("mm.imports.ministra-max-accounts")
    private long maxAccounts;
    @PropertyInject("mm.imports.csv-max-bytes")
    private long csvMaxBytes;
    @PropertyInject("mm.accounts.ministra-time-zone")
    private String ministraZone;
    @PropertyInject("camel.main.name")
    private String name;

    @BindToRegistry(value = "knownAccounts", lazy = true)
    public KnownAccounts knownAccounts(@BeanInject DataSource dataSource, @BeanInject SqlDialect dialect) {
        return new KnownAccounts(dataSource, dialect);
    }

    @BindToRegistry(value = "importJobs", lazy = true)
    public ImportJobs importJobs(@BeanInject DataSource dataSource, @BeanInject SqlDialect dialect,
                                 @BeanInject AuditTrail audit) {
        return new ImportJobs(dataSource, dialect, audit, Clock.systemUTC(), name + "-" + UUID.randomUUID(),
                duration(lease));
    }

    @BindToRegistry(value = "csvImport", lazy = true)
    public CsvImport csvImport(@BeanInject DataSource dataSource, @BeanInject KnownAccounts knownAccounts,
                               @BeanInject AccountCommands commands, @BeanInject PasswordGenerator passwords) {
        return new CsvImport(dataSource, knownAccounts, commands, passwords, chunkSize);
    }

    @BindToRegistry(value = "ministraImport", lazy = true)
    public MinistraImport ministraImport(@BeanInject DataSource dataSource, @BeanInject KnownAccounts knownAccounts,
                                         @BeanInject BatchReads batchReads, @BeanInject Adoptions adoptions) {
        return new MinistraImport(dataSource, knownAccounts, batchReads, adoptions,
                new MinistraImport.ListingLimits(duration(listingTimeout), maxAccounts), ZoneId.of(ministraZone),
                chunkSize);
    }

    @BindToRegistry(value = "importRunner", lazy = true)
    public ImportRunner importRunner(CamelContext camel, @BeanInject ImportJobs jobs, @BeanInject CsvImport csv,
                                     @BeanInject MinistraImport ministra) {
        return new ImportRunner(jobs, csv, ministra,
                camel.getExecutorServiceManager().newSingleThreadExecutor(this, "imports"));
    }

    @BindToRegistry(value = "importsApi", lazy = true)
    public ImportsApi importsApi(@BeanInject ImportJobs jobs, @BeanInject ImportRunner runner,
                                 @BeanInject CsvImport csv, @BeanInject MinistraImport ministra,
                                 @BeanInject Companies companies) {
        return new ImportsApi(jobs, runner, csv, ministra, companies, csvMaxBytes);
    }

    /**
     * The runner is a service of the context (it resumes jobs and stops with it), so it is built here, not at its
     * first use; looked up, as {@code configure} is given only the context.
     */
    @Override
    public void configure(CamelContext camel) throws Exception {
        ImportRunner runner = camel.getRegistry().findSingleByType(ImportRunner.class);
        camel.addService(runner);
        // tell the job at once, not when the services stop: a route shutdown can take long enough to finish a job
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    runner.stopping();
                }
            }
        });
    }

    private static Duration duration(String text) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text.trim()));
    }
}
