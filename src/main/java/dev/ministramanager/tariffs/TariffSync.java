package dev.ministramanager.tariffs;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The steps of the {@code tariffs-sync} route: record the run, build the listing request (the route sends it through
 * the one Ministra client and redelivers it while {@link #retryListing} says so), apply the listing, and record how
 * the run ended in the sync history, the audit trail and the metrics, whatever happened.
 */
public class TariffSync {

    private static final String COMPANY_ENABLED = SqlStatements.load("tariffs-sync-company-enabled");
    private static final String ABANDON_RUNS = SqlStatements.load("tariffs-sync-run-abandon");
    private static final String INSERT_RUN = SqlStatements.load("tariffs-sync-run-insert");
    private static final String FINISH_RUN = SqlStatements.load("tariffs-sync-run-finish");

    public static final String SCHEDULE = "schedule";
    public static final String USER = "user";
    static final String SCHEDULER_ACTOR = "scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(TariffSync.class);


    private final JdbcTemplate jdbc;
    private final TariffCatalogue catalogue;
    private final int listingAttempts;
    private final AuditTrail audit;
    private final TariffSyncMetrics metrics;
    private final TariffPlans plans;
    private final ActiveTariffPlans knownPlans;

    TariffSync(DataSource dataSource, TariffCatalogue catalogue, int listingAttempts, AuditTrail audit,
               TariffSyncMetrics metrics, TariffPlans plans, ActiveTariffPlans knownPlans) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.catalogue = catalogue;
        this.listingAttempts = listingAttempts;
        this.audit = audit;
        this.metrics = metrics;
        this.plans = plans;
        this.knownPlans = knownPlans;
    }

    /** An on-demand sync needs the company enabled, as the scheduled one only covers enabled companies. */
    public void requireEnabled(long companyId) {
        Boolean enabled = jdbc.queryForObject(COMPANY_ENABLED, Boolean.class, companyId);
        if (!Boolean.TRUE.equals(enabled)) {
            throw ProblemException.conflict("enabled", "Company " + companyId + " is disabled; enable it to sync"
                    + " its tariffs.");
        }
    }

    /**
     * Records the start of a run. For a scheduled run, null when this company's sync for the same firing is already
     * recorded (a second node that fired the same trigger); the run is then not repeated.
     */
    public SyncRun start(long companyId, String trigger, String actor, Date scheduledFor) {
        String who = SCHEDULE.equals(trigger) ? SCHEDULER_ACTOR : actor;
        OffsetDateTime now = OffsetDateTime.now();
        // no run lasts an hour (the retries are bounded): one still "running" after that lost its node
        jdbc.update(ABANDON_RUNS, now, companyId, now.minusHours(1));
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement(INSERT_RUN, new String[] {"id"});
                insert.setLong(1, companyId);
                insert.setString(2, trigger);
                insert.setString(3, who);
                insert.setTimestamp(4, scheduledFor == null ? null : new Timestamp(scheduledFor.getTime()));
                insert.setObject(5, now);
                return insert;
            }, key);
        } catch (DuplicateKeyException alreadyRun) {
            LOG.warn("Tariff sync of company {} for the firing at {} already ran; not repeating it", companyId,
                    scheduledFor.toInstant());
            return null;
        }
        return new SyncRun(key.getKey().longValue(), companyId, trigger, who, now);
    }

    /** One attempt at the listing: the {@code GET tariffs} request that {@code direct:ministra-call} sends. */
    public MinistraRequest listingRequest(SyncRun run) {
        run.attempted();
        return MinistraRequest.get(run.companyId(), "tariffs");
    }

    /**
     * The {@code retryWhile} of the listing's redelivery ({@code routes/tariffs-sync.camel.yaml}): a transient
     * failure is tried again until the run has made its configured number of attempts; anything else ends the run.
     */
    public boolean retryListing(SyncRun run, Exception cause) {
        if (!(cause instanceof MinistraFailure failure) || !failure.kind().isTransient()
                || run.attempts() >= listingAttempts) {
            return false;
        }
        LOG.warn("Tariff listing of company {} failed ({}), attempt {} of {}; retrying", run.companyId(),
                failure.kind().id(), run.attempts(), listingAttempts);
        return true;
    }

    public void apply(SyncRun run, MinistraResult answer) {
        TariffCatalogue.Changes changes = catalogue.apply(run.companyId(), TariffListing.read(answer));
        knownPlans.forgetAll();
        run.succeeded(changes.counts());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("created", changes.created());
        details.put("updated", changes.updated());
        details.put("restored", changes.restored());
        details.put("archived", changes.archived());
        details.put("unchanged", changes.counts().unchanged());
        record(run, details);
    }

    /** The listing could not be fetched or must not be applied: nothing changed; classify why. */
    public void failed(SyncRun run, Exception cause) {
        if (cause instanceof MinistraFailure failure) {
            run.ended(SyncRun.Outcome.FAILED, failure.kind().id(), failure.getMessage());
        } else if (cause instanceof CatalogueRefused refused) {
            run.ended(refused.isHeld() ? SyncRun.Outcome.HELD : SyncRun.Outcome.FAILED, refused.reason(),
                    refused.getMessage());
        } else {
            LOG.error("Tariff sync of company {} failed unexpectedly", run.companyId(), cause);
            run.ended(SyncRun.Outcome.FAILED, "internal_error", "The sync failed on our side; it has been logged.");
        }
        LOG.warn("Tariff sync of company {} {}: {} - {}", run.companyId(), run.outcome().id(), run.errorKind(),
                run.errorDetail());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", run.errorKind());
        details.put("detail", run.errorDetail());
        record(run, details);
    }

    /** Stores the run's end; the answer of an on-demand sync. */
    public Map<String, Object> finish(SyncRun run) {
        SyncRun.Counts counts = run.counts();
        jdbc.update(FINISH_RUN,
                OffsetDateTime.now(), run.outcome().id(), run.attempts(), counts.created(), counts.updated(),
                counts.archived(), counts.unchanged(), counts.skipped(), run.errorKind(), run.errorDetail(), run.id());
        metrics.recorded(run);
        return plans.run(run.id());
    }

    private void record(SyncRun run, Map<String, Object> details) {
        details.put("trigger", run.trigger());
        details.put("attempts", run.attempts());
        audit.record(run.actor(), run.companyId(), "tariff_sync", String.valueOf(run.id()), "sync",
                run.outcome().id(), details);
    }
}
