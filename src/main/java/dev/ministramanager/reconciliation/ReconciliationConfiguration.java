package dev.ministramanager.reconciliation;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.scheduling.RefreshLeases;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;

/** Reconciliation between our accounts and each company's Ministra: policies, runs, adoptions, enforcement. */
public class ReconciliationConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        Companies companies = registry.lookupByNameAndType("companies", Companies.class);

        ReconciliationPolicies policies = new ReconciliationPolicies(dataSource, companies, audit);
        Adoptions adoptions = new Adoptions(dataSource, audit, json);
        Reconciliations.ListingSettings listing = new Reconciliations.ListingSettings(
                Boolean.parseBoolean(property(camel, "mm.reconciliation.full-listing-enabled")),
                Duration.ofMillis(TimeUtils.toMilliSeconds(property(camel, "mm.reconciliation.full-listing-timeout"))),
                Long.parseLong(property(camel, "mm.reconciliation.full-listing-max-accounts")));
        registry.bind("reconciliationPolicies", policies);
        registry.bind("reconciliationAdoptions", adoptions);
        registry.bind("reconciliationRuns", new ReconciliationRuns(dataSource));
        registry.bind("reconciliations", new Reconciliations(dataSource, companies,
                registry.lookupByNameAndType("localAccounts", LocalAccounts.class),
                registry.lookupByNameAndType("batchReads", BatchReads.class),
                registry.lookupByNameAndType("refreshLeases", RefreshLeases.class), policies, adoptions,
                new ReconciliationEnforcement(dataSource, audit), audit, json, Clock.systemUTC(), listing));
    }

    private static String property(CamelContext camel, String key) {
        return camel.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
