package dev.ministramanager.status;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.BatchReads.Match;
import dev.ministramanager.fleet.BatchReads.Mode;
import dev.ministramanager.fleet.LocalAccount;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraFailure.Kind;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.scheduling.RefreshLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Refreshes the online state (and the rest of the remote snapshot) of every account of a company with batched reads:
 * on a schedule for every enabled company, or on demand for one. One run per company at a time across all nodes (a
 * database lease). A batch Ministra cannot answer leaves its accounts' snapshots as they were; the run goes on,
 * unless Ministra refuses our credentials, is not Ministra, or fails several batches in a row.
 */
public class FleetRefresh {

    private static final String FINISH_RUN = SqlStatements.load("status-refresh-run-finish");
    private static final String INSERT_RUN = SqlStatements.load("status-refresh-run-insert");

    private static final Logger LOG = LoggerFactory.getLogger(FleetRefresh.class);

    /** Settings of the refresh; see mm.status.* in application.properties. */
    public record Settings(Duration interval, Duration maxRun, int maxConsecutiveFailures) {
    }


    private final JdbcTemplate jdbc;
    private final Companies companies;
    private final LocalAccounts accounts;
    private final BatchReads batchReads;
    private final RemoteSnapshots snapshots;
    private final RefreshLeases leases;
    private final StatusMetrics metrics;
    private final AuditTrail audit;
    private final Clock clock;
    private final Settings settings;

    public FleetRefresh(DataSource dataSource, Companies companies, LocalAccounts accounts, BatchReads batchReads,
                        RemoteSnapshots snapshots, RefreshLeases leases, StatusMetrics metrics, AuditTrail audit,
                        Clock clock, Settings settings) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.companies = companies;
        this.accounts = accounts;
        this.batchReads = batchReads;
        this.snapshots = snapshots;
        this.leases = leases;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
    }

    /** True when the company's scheduled refresh is due and no node runs it; this node then holds its lease. */
    public boolean takeDueLease(long companyId) {
        return leases.acquireWhenDue(leaseName(companyId), settings.maxRun());
    }

    /** One company's scheduled refresh (the lease taken), logged; the lease is released however it ends. */
    public void refreshScheduled(long companyId) {
        Map<String, Object> run = run(companyId, "scheduled", "scheduler");
        LOG.info("Status refresh of company {}: {}", companyId, run);
    }

    /** A company's scheduled refresh failed: logged, and the next company's goes on. */
    public void scheduledRefreshFailed(long companyId, Exception cause) {
        LOG.warn("Status refresh of company {} failed", companyId, cause);
    }

    /** {@code POST /companies/{id}/status/refresh}: runs now and answers with the run; 409 while one is running. */
    public Map<String, Object> refreshNow(long companyId, String actor) {
        companies.get(companyId);
        if (!leases.acquireNow(leaseName(companyId), settings.maxRun())) {
            throw new ProblemException(409, "Conflict", "A status refresh of company " + companyId
                    + " is already running.", Map.of());
        }
        return run(companyId, "manual", actor);
    }

    private Map<String, Object> run(long companyId, String trigger, String actor) {
        Instant started = clock.instant();
        Run run = new Run(companyId, actor);
        long runId = insertRun(companyId, trigger, actor, started);
        String outcome;
        try {
            String baseUrl = companies.of(companyId).baseUrl();
            BatchReads.Session byNumber = batchReads.open(companyId, baseUrl, Mode.NUMBER, run);
            BatchReads.Session byMac = batchReads.open(companyId, baseUrl, Mode.MAC, run);
            run.sessions = List.of(byNumber, byMac);
            accounts.forEachPage(companyId, page -> page.forEach(account -> {
                run.accounts++;
                if (account.readableByNumber()) {
                    byNumber.add(account);
                } else if (account.stbMac() != null) {
                    byMac.add(account);
                } else {
                    run.unreadable++;
                }
            }));
            byNumber.finish();
            byMac.finish();
            outcome = run.failedBatches == 0 ? "ok" : run.found + run.notFound == 0 ? "failed" : "partial";
        } catch (Aborted aborted) {
            outcome = "failed";
            run.error = aborted.getMessage();
        } catch (RuntimeException unexpected) {
            outcome = "failed";
            run.error = "Unexpected failure: " + unexpected.getMessage();
            throw unexpected;
        } finally {
            leases.release(leaseName(companyId), started.plus(settings.interval().multipliedBy(9).dividedBy(10)));
        }
        Instant finished = clock.instant();
        jdbc.update(FINISH_RUN, Timestamp.from(finished), outcome, run.accounts, run.found, run.notFound,
                run.unreadable, run.failedBatches, run.requests(), run.transitions, run.error, runId);
        metrics.refreshRun(companyId, outcome);
        metrics.ministraRequests(companyId, "refresh", run.requests());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", runId);
        view.put("companyId", companyId);
        view.put("trigger", trigger);
        view.put("outcome", outcome);
        view.put("accounts", run.accounts);
        view.put("found", run.found);
        view.put("notFound", run.notFound);
        view.put("unreadable", run.unreadable);
        view.put("failedBatches", run.failedBatches);
        view.put("requests", run.requests());
        view.put("transitions", run.transitions);
        view.put("error", run.error);
        view.put("startedAt", started.toString());
        view.put("durationMs", Duration.between(started, finished).toMillis());
        audit.record(actor, companyId, "company", String.valueOf(companyId), "status-refresh", outcome, view);
        return view;
    }

    private long insertRun(long companyId, String trigger, String actor, Instant started) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement(INSERT_RUN, new String[] {"id"});
            insert.setLong(1, companyId);
            insert.setString(2, trigger);
            insert.setString(3, actor);
            insert.setTimestamp(4, Timestamp.from(started));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    static String leaseName(long companyId) {
        return "status-refresh:" + companyId;
    }

    /** One run's counters; also the batch handler that stores what each batch found. */
    private final class Run implements BatchReads.Handler {
        private final long companyId;
        private final String actor;
        private List<BatchReads.Session> sessions = List.of();
        private int accounts;
        private int found;
        private int notFound;
        private int unreadable;
        private int failedBatches;
        private int transitions;
        private int failuresInARow;
        private String error;

        Run(long companyId, String actor) {
            this.companyId = companyId;
            this.actor = actor;
        }

        int requests() {
            return sessions.stream().mapToInt(BatchReads.Session::requests).sum();
        }

        @Override
        public void matched(List<Match> matches) {
            RemoteSnapshots.Stored stored = snapshots.store(matches, "refresh", actor, clock.instant());
            found += stored.found();
            notFound += stored.notFound();
            transitions += stored.transitions();
            failuresInARow = 0;
        }

        @Override
        public void failed(List<LocalAccount> accounts, MinistraFailure failure) {
            failedBatches++;
            failuresInARow++;
            error = failure.getMessage();
            LOG.warn("Status refresh of company {}: a batch of {} account(s) could not be read: {}", companyId,
                    accounts.size(), failure.getMessage());
            if (failure.kind() == Kind.AUTHENTICATION_FAILED || failure.kind() == Kind.NOT_MINISTRA
                    || failuresInARow >= settings.maxConsecutiveFailures()) {
                throw new Aborted("Stopped after " + failedBatches + " failed batch(es): " + failure.getMessage());
            }
        }
    }

    /** Ends a run early; what was stored stays (it is what Ministra said). */
    private static final class Aborted extends RuntimeException {
        Aborted(String message) {
            super(message, null, false, false);
        }
    }
}
