package dev.ministramanager.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.scheduling.RefreshLeases;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;

/**
 * A reconciliation run compares a company's accounts with its Ministra and stores what differs: accounts missing in
 * Ministra, rows only Ministra has (through our accounts' known MACs, and through a full listing where the
 * installation allows one), and drifted fields (status, tariff, name, phone, MAC, optional packages where we manage
 * them). Only when every read answered completely and well is the company's policy applied: {@code report} leaves
 * it at the findings, {@code adopt} takes Ministra's values into our records, {@code enforce} asks for our state to
 * be pushed. Any bad answer (empty, not
 * JSON, truncated, a failed batch, a listing over its limits) fails the run with the reason, and nothing is changed.
 */
public class Reconciliations {

    /** The full listing's guards; see mm.reconciliation.* in application.properties. */
    public record ListingSettings(boolean enabled, Duration timeout, long maxAccounts) {
    }

    private final Companies companies;
    private final RefreshLeases leases;
    private final ReconciliationPolicies policies;
    private final ReconciliationStore store;
    private final AccountComparison comparison;
    private final PolicyApplication policyApplication;
    private final AuditTrail audit;
    private final Clock clock;
    private final ListingSettings listing;

    public Reconciliations(DataSource dataSource, Companies companies, LocalAccounts accounts, BatchReads batchReads,
                           RefreshLeases leases, ReconciliationPolicies policies, Adoptions adoptions,
                           ReconciliationEnforcement enforcement, AuditTrail audit, ObjectMapper json, Clock clock,
                           ListingSettings listing) {
        this.companies = companies;
        this.leases = leases;
        this.policies = policies;
        this.store = new ReconciliationStore(dataSource);
        this.comparison = new AccountComparison(accounts, batchReads, store, json, clock, listing);
        this.policyApplication = new PolicyApplication(store, adoptions, enforcement);
        this.audit = audit;
        this.clock = clock;
        this.listing = listing;
    }

    /** {@code POST /reconciliation/runs}: runs one reconciliation of the request's company and answers with it. */
    public long start(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        long companyId = ApiGate.requireCompany(exchange);
        String actor = exchange.getVariable(ApiGate.ACTOR, String.class);
        NewReconciliationRun request = exchange.getMessage().getMandatoryBody(NewReconciliationRun.class);
        boolean fullListing = request.fullListing() == null ? listing.enabled() : request.fullListing();
        if (fullListing && !listing.enabled()) {
            throw ProblemException.unprocessable("fullListing", "This installation does not allow a full listing of"
                    + " Ministra's accounts (mm.reconciliation.full-listing-enabled).");
        }
        companies.get(companyId);
        String lease = "reconciliation:" + companyId;
        if (!leases.acquireNow(lease, listing.timeout().multipliedBy(2))) {
            throw new ProblemException(409, "Conflict", "A reconciliation of company " + companyId
                    + " is already running.", Map.of());
        }
        try {
            return run(companyId, fullListing, actor);
        } finally {
            leases.release(lease, clock.instant());
        }
    }

    private long run(long companyId, boolean fullListing, String actor) {
        String policy = policies.policyOf(companyId);
        long runId = store.insertRun(companyId, policy, fullListing, actor, clock.instant());
        ReconciliationPass pass = new ReconciliationPass(runId, companyId);
        String status = "completed";
        String failure = null;
        try {
            String baseUrl = companies.of(companyId).baseUrl();
            comparison.compareOurAccounts(pass, baseUrl);
            comparison.findRowsByKnownMacs(pass, baseUrl);
            if (fullListing) {
                comparison.findRowsByFullListing(pass);
            }
        } catch (MinistraFailure | RunFailed bad) {
            status = "failed";
            failure = bad.getMessage();
        }
        store.finishRun(pass, status, failure, clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run", runId);
        details.put("policy", policy);
        details.put("fullListing", fullListing);
        details.put("accounts", pass.accounts);
        details.put("drafts", pass.drafts);
        details.put("findings", pass.findings);
        if (failure != null) {
            details.put("failure", failure);
        }
        audit.record(actor, companyId, "company", String.valueOf(companyId), "reconciliation", status, details);
        if (failure == null) {
            policyApplication.apply(runId, companyId, policy, actor);
        }
        return runId;
    }

    /** A run cannot complete; the message says why. */
    static final class RunFailed extends RuntimeException {
        RunFailed(String message) {
            super(message, null, false, false);
        }
    }
}
