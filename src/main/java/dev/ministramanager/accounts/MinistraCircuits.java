package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.metrics.CompanyMeters;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRequests;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * A circuit breaker per company's Ministra, shared by every node through the {@code ministra_circuit} table: after
 * {@code mm.accounts.push.circuit-failure-threshold} transient failures in a row (from any node) the circuit opens.
 * While it is open the company's pushes are not claimed and a push that fails transiently spends no attempt (it
 * waits, so no dead letter comes of an outage however long); one node probes Ministra every
 * {@code circuit-probe-interval-ms} with the connection test's read of the tariff list, and the first answer closes
 * the circuit and makes all the company's waiting pushes due at once (the push's rate limit still applies).
 *
 * <p>Why the database and not Camel's Resilience4j EIP: a Resilience4j breaker lives in one JVM, so each node would
 * learn of an outage by failing on its own and probe on its own, and the account's sync state could not say, on
 * whichever node answers the API, that it waits for Ministra. The push state is already in the database; so is this.
 */
public class MinistraCircuits implements CompanyMeters {

    private static final Logger LOG = LoggerFactory.getLogger(MinistraCircuits.class);
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(1);
    /** Pushes write their company's latency at most this often per node (a connection test or probe always does). */
    private static final Duration PUSH_LATENCY_EVERY = Duration.ofSeconds(5);
    private static final String EXISTS = SqlStatements.load("accounts-circuit-exists");
    private static final String INSERT = SqlStatements.load("accounts-circuit-insert");
    private static final String COUNT_FAILURE = SqlStatements.load("accounts-circuit-count-failure");
    private static final String OPEN = SqlStatements.load("accounts-circuit-open");
    private static final String NEXT_PROBE = SqlStatements.load("accounts-circuit-next-probe");
    private static final String PARK_PUSHES = SqlStatements.load("accounts-circuit-park-pushes");
    private static final String RELEASE_PUSHES = SqlStatements.load("accounts-circuit-release-pushes");
    private static final String RESET_FAILURES = SqlStatements.load("accounts-circuit-reset-failures");
    private static final String LATENCY = SqlStatements.load("accounts-circuit-latency");
    private static final String DUE_PROBES = SqlStatements.load("accounts-circuit-due-probes");
    private static final String TAKE_PROBE = SqlStatements.load("accounts-circuit-take-probe");
    private static final String PROBE_FAILED = SqlStatements.load("accounts-circuit-probe-failed");
    private static final String CLOSE = SqlStatements.load("accounts-circuit-close");
    private static final String REACHABILITY = SqlStatements.load("accounts-circuit-reachability");

    /** What a transient push failure found: whether the circuit is open, and whether this failure opened it. */
    record Verdict(boolean open, boolean opened, OffsetDateTime nextProbeAt) {
        static final Verdict CLOSED = new Verdict(false, false, null);
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final AuditTrail audit;
    private final Clock clock;
    private final int failureThreshold;
    private final Duration probeInterval;
    private final MultiGauge reachable;
    private volatile Instant gaugeRefreshedAt = Instant.EPOCH;
    /** Companies whose circuit row this node has seen. */
    private final Set<Long> known = ConcurrentHashMap.newKeySet();
    /** When this node last wrote a push's latency, per company. */
    private final Map<Long, Instant> latencyWrittenAt = new ConcurrentHashMap<>();

    public MinistraCircuits(DataSource dataSource, AuditTrail audit, Clock clock, int failureThreshold,
                            Duration probeInterval, MeterRegistry metrics) {
        if (failureThreshold < 1 || probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("mm.accounts.push.circuit-failure-threshold must be at least 1 and"
                    + " circuit-probe-interval-ms positive");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.audit = audit;
        this.clock = clock;
        this.failureThreshold = failureThreshold;
        this.probeInterval = probeInterval;
        this.reachable = MultiGauge.builder("mm.ministra.reachable")
                .description("1 while the company's Ministra answers, 0 while its circuit is open").register(metrics);
    }

    /**
     * Makes sure the company has its circuit row, before the transaction of a failure that counts on it (a duplicate
     * key inside that transaction would abort it on PostgreSQL). Rows are never deleted but with their company.
     */
    void ensureRow(long companyId) {
        if (known.contains(companyId)) {
            return;
        }
        if (jdbc.queryForList(EXISTS, Long.class, companyId).isEmpty()) {
            try {
                jdbc.update(INSERT, companyId);
            } catch (DuplicateKeyException insertedMeanwhile) {
                // another worker or node made it
            }
        }
        known.add(companyId);
    }

    /**
     * Counts a transient failure of a push (inside the failure's transaction, after the push row was locked: push row
     * first, circuit row second, in every transaction that takes both) and answers whether the circuit is open now.
     */
    Verdict transientFailure(long companyId, MinistraFailure failure, String detail, OffsetDateTime now) {
        String kind = failure.kind().id();
        jdbc.update(COUNT_FAILURE, now, detail, kind, now, companyId);
        OffsetDateTime nextProbe = now.plus(probeInterval);
        boolean opened = jdbc.update(OPEN, nextProbe, companyId, failureThreshold) == 1;
        if (opened) {
            audit.record(AccountPushes.ACTOR, companyId, "company", String.valueOf(companyId), "ministra-unreachable",
                    kind, Map.of("detail", detail, "nextProbeAt", nextProbe.toString()));
            LOG.warn("Company {}: Ministra failed {} times in a row ({}); its pushes wait, probing every {} ms",
                    companyId, failureThreshold, kind, probeInterval.toMillis());
            return new Verdict(true, true, nextProbe);
        }
        List<OffsetDateTime> open = jdbc.queryForList(NEXT_PROBE, OffsetDateTime.class, companyId);
        return open.isEmpty() ? Verdict.CLOSED : new Verdict(true, false, open.get(0));
    }

    /**
     * Moves the company's waiting pushes to the next probe, so that claims (in due order) do not read past them while
     * the circuit is open; held pushes are left to their nodes. Its own statement, after the failure's transaction:
     * taking many push rows while holding the circuit row could deadlock with another worker's failure.
     */
    void parkWaitingPushes(long companyId, OffsetDateTime until) {
        try {
            jdbc.update(PARK_PUSHES, until, companyId, now(), until);
        } catch (RuntimeException e) {
            // harmless: the claim skips the company's pushes while its circuit is open, only reading past them
            LOG.warn("Company {}: the waiting pushes were not moved to the next probe: {}", companyId, e.toString());
        }
    }

    /**
     * Ministra answered pushes of these companies (with the latency of one of its answers each, or null): their runs of
     * failures end (only rows with a run are written), and the latency is kept, at most every few seconds per node.
     */
    void succeeded(Map<Long, Long> latencyMillisByCompany) {
        if (latencyMillisByCompany.isEmpty()) {
            return;
        }
        Collection<Long> companyIds = latencyMillisByCompany.keySet();
        try {
            named.update(RESET_FAILURES, Map.of("ids", companyIds));
        } catch (RuntimeException e) {
            LOG.warn("Ministra answered companies {} but their failure counts were not reset: {}", companyIds,
                    e.toString());
        }
        Instant now = clock.instant();
        latencyMillisByCompany.forEach((companyId, millis) -> {
            Instant last = latencyWrittenAt.get(companyId);
            if (millis != null && (last == null || !now.isBefore(last.plus(PUSH_LATENCY_EVERY)))) {
                latencyWrittenAt.put(companyId, now);
                recordLatency(companyId, millis);
            }
        });
    }

    /**
     * A connection test got an answer (its body, a {@link MinistraResult}): how fast the company's Ministra answered
     * is kept for the dashboard.
     */
    public void answered(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        MinistraResult result = exchange.getMessage().getMandatoryBody(MinistraResult.class);
        long companyId = probedCompany(exchange);
        ensureRow(companyId);
        recordLatency(companyId, result.latencyMillis());
    }

    private void recordLatency(long companyId, long millis) {
        try {
            jdbc.update(LATENCY, (int) Math.min(Integer.MAX_VALUE, millis), now(), companyId);
        } catch (RuntimeException e) {
            LOG.debug("Company {}: Ministra's latency not recorded: {}", companyId, e.toString());
        }
    }

    /**
     * The probes due now, each taken by this node by moving its next probe on (a node that finds it moved took
     * nothing): one read of the tariff list per company whose circuit is open.
     */
    public List<MinistraRequest> dueProbes() {
        refreshGauge();
        OffsetDateTime now = now();
        List<MinistraRequest> probes = new ArrayList<>();
        for (Long companyId : jdbc.queryForList(DUE_PROBES, Long.class, now)) {
            OffsetDateTime next = now.plus(probeInterval);
            if (jdbc.update(TAKE_PROBE, next, companyId, now) == 1) {
                parkWaitingPushes(companyId, next);
                probes.add(MinistraRequest.get(companyId, "tariffs"));
            }
        }
        return probes;
    }

    /**
     * A probe got an answer: Ministra is reachable again, whatever it said (a 401 or a refusal is the push's to
     * handle), so the circuit closes and every waiting push of the company becomes due now.
     */
    public void probeAnswered(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        close(probedCompany(exchange));
        answered(exchange);
    }

    /** A probe failed: transient, the circuit stays open until the next probe; anything else is an answer. */
    public void probeFailed(Exchange exchange) {
        long companyId = probedCompany(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof MinistraFailure failure && !failure.kind().isTransient()) {
            close(companyId);
            return;
        }
        String kind = cause instanceof MinistraFailure failure ? failure.kind().id() : "internal";
        jdbc.update(PROBE_FAILED, cause == null ? "unknown failure" : truncate(cause.getMessage()), kind,
                now(), companyId);
        LOG.debug("Company {}: Ministra probe failed ({})", companyId, kind);
    }

    private void close(long companyId) {
        OffsetDateTime now = now();
        int closed = jdbc.update(CLOSE, now, companyId);
        if (closed == 0) {
            return;
        }
        // after the circuit's commit, in a statement of its own (see parkWaitingPushes); should this node stop
        // before it, the pushes were parked only until the next probe, so they fall due by themselves
        int due = jdbc.update(RELEASE_PUSHES, now, companyId, now, now);
        audit.record(AccountPushes.ACTOR, companyId, "company", String.valueOf(companyId), "ministra-reachable",
                "ok", Map.of("duePushes", due));
        LOG.info("Company {}: Ministra answers again; {} waiting pushes are due now", companyId, due);
        refreshGauge();
    }

    private static long probedCompany(Exchange exchange) {
        return exchange.getVariable(MinistraRequests.REQUEST, MinistraRequest.class).companyId();
    }

    /** At start-up: the gauge of every company at once, before the first probe tick. */
    @Override
    public void registerCompany(long companyId) {
        gaugeRefreshedAt = Instant.EPOCH;
        refreshGauge();
    }

    /** The gauge per company, read from the shared table at most once a second (on the probe's tick). */
    private void refreshGauge() {
        Instant now = clock.instant();
        if (now.isBefore(gaugeRefreshedAt.plus(GAUGE_REFRESH))) {
            return;
        }
        gaugeRefreshedAt = now;
        try {
            List<MultiGauge.Row<?>> rows = jdbc.query(REACHABILITY, (rs, i) -> MultiGauge.Row.of(
                    Tags.of("company", String.valueOf(rs.getLong(1))), rs.getBoolean(2) ? 1 : 0));
            reachable.register(rows, true);
        } catch (RuntimeException databaseDown) {
            LOG.debug("Ministra reachability gauge not refreshed: {}", databaseDown.toString());
        }
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
