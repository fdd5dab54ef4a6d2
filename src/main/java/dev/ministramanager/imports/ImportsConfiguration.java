package dev.ministramanager.imports;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import dev.ministramanager.accounts.AccountCommands;
import dev.ministramanager.accounts.PasswordGenerator;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.reconciliation.Adoptions;
import dev.ministramanager.status.BatchReads;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.util.TimeUtils;

/** Onboarding imports: a company's existing Ministra, and billing exports as CSV; see mm.imports.*. */
public class ImportsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        int chunkSize = Integer.parseInt(property(camel, "mm.imports.chunk-size"));
        String node = property(camel, "camel.main.name") + "-" + UUID.randomUUID();

        ImportJobs jobs = new ImportJobs(dataSource, audit, Clock.systemUTC(), node, duration(camel, "mm.imports.lease"));
        CsvImport csv = new CsvImport(dataSource,
                registry.lookupByNameAndType("accountCommands", AccountCommands.class),
                registry.lookupByNameAndType("passwordGenerator", PasswordGenerator.class), chunkSize);
        MinistraImport ministra = new MinistraImport(dataSource,
                registry.lookupByNameAndType("batchReads", BatchReads.class),
                registry.lookupByNameAndType("reconciliationAdoptions", Adoptions.class),
                new MinistraImport.ListingLimits(duration(camel, "mm.imports.ministra-listing-timeout"),
                        Long.parseLong(property(camel, "mm.imports.ministra-max-accounts"))), chunkSize);
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
        registry.bind("importRunner", runner);
        registry.bind("importsApi", new ImportsApi(jobs, runner, csv, ministra,
                registry.lookupByNameAndType("companies", Companies.class),
                Long.parseLong(property(camel, "mm.imports.csv-max-bytes"))));
    }

    private static Duration duration(CamelContext camel, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(property(camel, key)));
    }

    private static String property(CamelContext camel, String key) {
        return camel.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
