package dev.ministramanager.imports;

import static org.apache.camel.support.CamelContextHelper.mandatoryLookup;

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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.util.TimeUtils;

/**
 * Onboarding imports: a company's existing Ministra, and billing exports as CSV; see mm.imports.*. Settings are
 * injected; the beans it needs are bound by other configurations' {@code configure} (Camel Main injects every
 * configuration before it configures any), so they are looked up here, each one mandatory.
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

    @Override
    public void configure(CamelContext camel) throws Exception {
        DataSource dataSource = mandatoryLookup(camel, "dataSource", DataSource.class);
        SqlDialect dialect = mandatoryLookup(camel, "sqlDialect", SqlDialect.class);
        KnownAccounts knownAccounts = new KnownAccounts(dataSource, dialect);
        String node = name + "-" + UUID.randomUUID();

        ImportJobs jobs = new ImportJobs(dataSource, dialect, mandatoryLookup(camel, "auditTrail", AuditTrail.class),
                Clock.systemUTC(), node, duration(lease));
        CsvImport csv = new CsvImport(dataSource, knownAccounts, mandatoryLookup(camel, "accountCommands", AccountCommands.class),
                mandatoryLookup(camel, "passwordGenerator", PasswordGenerator.class), chunkSize);
        MinistraImport ministra = new MinistraImport(dataSource, knownAccounts,
                mandatoryLookup(camel, "batchReads", BatchReads.class),
                mandatoryLookup(camel, "reconciliationAdoptions", Adoptions.class),
                new MinistraImport.ListingLimits(duration(listingTimeout), maxAccounts), ZoneId.of(ministraZone),
                chunkSize);
        ImportRunner runner = new ImportRunner(jobs, csv, ministra,
                camel.getExecutorServiceManager().newSingleThreadExecutor(this, "imports"));
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
        camel.getRegistry().bind("importRunner", runner);
        camel.getRegistry().bind("importsApi", new ImportsApi(jobs, runner, csv, ministra,
                mandatoryLookup(camel, "companies", Companies.class), csvMaxBytes));
    }

    private static Duration duration(String text) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text.trim()));
    }
}
