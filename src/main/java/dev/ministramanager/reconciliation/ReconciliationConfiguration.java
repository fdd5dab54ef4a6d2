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
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.util.TimeUtils;

/**
 * Reconciliation between our accounts and each company's Ministra: policies, runs, adoptions, enforcement. Bound
 * lazily: each bean is built at its first lookup, once every configuration has bound its beans.
 */
public class ReconciliationConfiguration implements CamelConfiguration {

    @PropertyInject("mm.reconciliation.full-listing-enabled")
    private boolean fullListingEnabled;
    /** A duration as Camel writes them: {@code 2m}, {@code 90s}, or plain milliseconds. */
    @PropertyInject("mm.reconciliation.full-listing-timeout")
    private String fullListingTimeout;
    @PropertyInject("mm.reconciliation.full-listing-max-accounts")
    private long fullListingMaxAccounts;

    @BindToRegistry(value = "reconciliationPolicies", lazy = true)
    public ReconciliationPolicies reconciliationPolicies(@BeanInject("dataSource") DataSource dataSource,
                                                         @BeanInject Companies companies,
                                                         @BeanInject AuditTrail audit) {
        return new ReconciliationPolicies(dataSource, companies, audit);
    }

    @BindToRegistry(value = "reconciliationAdoptions", lazy = true)
    public Adoptions reconciliationAdoptions(@BeanInject("dataSource") DataSource dataSource,
                                             @BeanInject AuditTrail audit, @BeanInject("json") ObjectMapper json) {
        return new Adoptions(dataSource, audit, json);
    }

    @BindToRegistry(value = "reconciliationRuns", lazy = true)
    public ReconciliationRuns reconciliationRuns(@BeanInject("dataSource") DataSource dataSource) {
        return new ReconciliationRuns(dataSource);
    }

    @BindToRegistry(value = "reconciliations", lazy = true)
    public Reconciliations reconciliations(@BeanInject("dataSource") DataSource dataSource,
                                           @BeanInject Companies companies, @BeanInject LocalAccounts accounts,
                                           @BeanInject BatchReads batchReads, @BeanInject RefreshLeases leases,
                                           @BeanInject ReconciliationPolicies policies,
                                           @BeanInject Adoptions adoptions, @BeanInject AuditTrail audit,
                                           @BeanInject("json") ObjectMapper json) {
        Reconciliations.ListingSettings listing = new Reconciliations.ListingSettings(fullListingEnabled,
                Duration.ofMillis(TimeUtils.toMilliSeconds(fullListingTimeout.trim())), fullListingMaxAccounts);
        return new Reconciliations(dataSource, companies, accounts, batchReads, leases, policies, adoptions,
                new ReconciliationEnforcement(dataSource, audit), audit, json, Clock.systemUTC(), listing);
    }
}
