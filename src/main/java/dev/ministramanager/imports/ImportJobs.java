package dev.ministramanager.imports;

import java.io.IOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Import jobs in the database ({@code import_job}, {@code import_row}, {@code import_source}): created by a real run,
 * leased by the one node that runs them, advanced chunk by chunk. A chunk's rows, their outcomes and the job's
 * checkpoint are written in one transaction, so a job resumed after a crash continues after the last stored row and
 * applies none twice; a chunk that fails as a whole is applied again row by row, each row all or nothing.
 */
public class ImportJobs {

    private static final String INSERT_JOB = SqlStatements.load("imports-job-insert");
    private static final String INSERT_SOURCE = SqlStatements.load("imports-source-insert");
    private static final String ABANDONED_JOBS = SqlStatements.load("imports-jobs-abandoned");
    private static final String TAKE_OVER_JOB = SqlStatements.load("imports-job-take-over");
    private static final String JOB = SqlStatements.load("imports-job");
    private static final String SOURCE = SqlStatements.load("imports-source");
    private static final String SET_ROWS_READ = SqlStatements.load("imports-job-rows-read");
    private static final String INSERT_ROW = SqlStatements.load("imports-row-insert");
    private static final String ADVANCE_JOB = SqlStatements.load("imports-job-advance");
    private static final String RENEW_LEASE = SqlStatements.load("imports-job-renew-lease");
    private static final String FINISH_JOB = SqlStatements.load("imports-job-finish");
    private static final String DELETE_SOURCE = SqlStatements.load("imports-source-delete");
    private static final String JOB_COUNTS = SqlStatements.load("imports-job-counts");
    private static final String SET_EXPECTED_ROWS = SqlStatements.load("imports-job-expected-rows");
    private static final String JOB_VIEW = SqlStatements.load("imports-job-view");
    private static final String REPORT_ROWS = SqlStatements.load("imports-report-rows");
    /**
     * The account table's statistics are renewed after this many rows of a job, then after twice as many, and so on:
     * an import grows the table faster than autovacuum looks at it (and autovacuum may be off), and a plan made for
     * a small table turns every per-row lookup into a scan once the table is large.
     */
    private static final long FIRST_STATISTICS_AT = 1_000;

    /** A row still to apply: its work returns what became of it, or throws a problem that refuses it. */
    public record PendingRow(long line, String login, Supplier<RowOutcome> work) {
    }

    /** A job as its runner needs it. */
    public record Job(long id, long companyId, String kind, String actor, long checkpoint) {
    }

    /** The lease is lost (another node took the job over after ours expired): stop without writing more. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(long jobId) {
            super("Import job " + jobId + " is run by another node now", null, false, false);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final String renewStatistics;

    public ImportJobs(DataSource dataSource, SqlDialect dialect, AuditTrail audit, Clock clock, String node,
                      Duration lease) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.renewStatistics = SqlStatements.load("imports-account-statistics", dialect);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.audit = audit;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
    }

    /** A new running job, leased to this node; a CSV job keeps its file until it ends. */
    long create(long companyId, String kind, String actor, byte[] csv) {
        return transaction.execute(tx -> {
            Instant now = clock.instant();
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.update(connection -> {
                var insert = connection.prepareStatement(INSERT_JOB, new String[] {"id"});
                insert.setLong(1, companyId);
                insert.setString(2, kind);
                insert.setString(3, actor);
                insert.setString(4, node);
                insert.setTimestamp(5, Timestamp.from(now.plus(lease)));
                insert.setTimestamp(6, Timestamp.from(now));
                return insert;
            }, key);
            long id = key.getKey().longValue();
            if (csv != null) {
                jdbc.update(INSERT_SOURCE, id, csv);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("job", id);
            details.put("kind", kind);
            if (csv != null) {
                details.put("bytes", csv.length);
            }
            audit.record(actor, companyId, "company", String.valueOf(companyId), "import-started", "ok", details);
            return id;
        });
    }

    /** A running job whose holder's lease ran out (a crashed or stopped node), now leased to this node. */
    Optional<Job> claimAbandoned() {
        Instant now = clock.instant();
        for (Long id : jdbc.queryForList(ABANDONED_JOBS, Long.class, Timestamp.from(now))) {
            if (jdbc.update(TAKE_OVER_JOB, node, Timestamp.from(now.plus(lease)), id, Timestamp.from(now)) == 1) {
                return Optional.of(job(id));
            }
        }
        return Optional.empty();
    }

    Job job(long id) {
        return jdbc.queryForObject(JOB, (rs, i) -> new Job(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5)), id);
    }

    byte[] source(long jobId) {
        return jdbc.queryForObject(SOURCE, byte[].class, jobId);
    }

    /**
     * Applies a chunk of rows: all in one transaction with their outcomes and the new checkpoint; if that fails,
     * row by row, a failing row stored as refused. Renews the lease first, and the account table's statistics
     * when the job has grown it enough.
     *
     * @param rowsRead the rows read so far (progress)
     */
    void applyChunk(Job job, List<PendingRow> rows, long rowsRead) {
        renewLease(job.id());
        if (rows.isEmpty()) {
            jdbc.update(SET_ROWS_READ, rowsRead, job.id());
            return;
        }
        long first = rows.get(0).line();
        long last = rows.get(rows.size() - 1).line();
        if (Long.highestOneBit(last / FIRST_STATISTICS_AT) > Long.highestOneBit((first - 1) / FIRST_STATISTICS_AT)) {
            jdbc.execute(renewStatistics);
        }
        try {
            transaction.executeWithoutResult(tx -> {
                List<RowOutcome> outcomes = new ArrayList<>(rows.size());
                for (PendingRow row : rows) {
                    outcomes.add(row.work().get());
                }
                store(job.id(), outcomes, rowsRead);
            });
        } catch (LeaseLost lost) {
            throw lost;
        } catch (RuntimeException chunkFailed) {
            for (PendingRow row : rows) {
                try {
                    transaction.executeWithoutResult(tx -> store(job.id(), List.of(row.work().get()), rowsRead));
                } catch (ProblemException refused) {
                    transaction.executeWithoutResult(tx -> store(job.id(),
                            List.of(RowOutcome.refused(row.line(), row.login(), refused)), rowsRead));
                }
            }
        }
    }

    private void store(long jobId, List<RowOutcome> outcomes, long rowsRead) {
        jdbc.batchUpdate(INSERT_ROW, outcomes.stream().map(o -> new Object[] {jobId, o.line(), cut(o.login(), 200), o.outcome(),
                    cut(o.field(), 64), cut(o.reason(), 2000)}).toList());
        long[] counts = new long[5];
        for (RowOutcome outcome : outcomes) {
            switch (outcome.outcome()) {
                case RowOutcome.ADOPTED -> counts[0]++;
                case RowOutcome.CREATED -> counts[1]++;
                case RowOutcome.UPDATED -> counts[2]++;
                case RowOutcome.COMPARED -> counts[3]++;
                default -> counts[4]++;
            }
        }
        int updated = jdbc.update(ADVANCE_JOB, counts[0], counts[1], counts[2], counts[3], counts[4], outcomes.get(outcomes.size() - 1).line(),
                rowsRead, jobId, node);
        if (updated != 1) {
            throw new LeaseLost(jobId);
        }
    }

    private void renewLease(long jobId) {
        if (jdbc.update(RENEW_LEASE, Timestamp.from(clock.instant().plus(lease)), jobId, node) != 1) {
            throw new LeaseLost(jobId);
        }
    }

    /** Ends the job (succeeded, or failed with the reason), drops its file and audits the outcome. */
    void finish(Job job, String failure) {
        String state = failure == null ? "succeeded" : "failed";
        transaction.executeWithoutResult(tx -> {
            jdbc.update(FINISH_JOB, state, cut(failure, 2000), Timestamp.from(clock.instant()), job.id(), node);
            jdbc.update(DELETE_SOURCE, job.id());
            Map<String, Object> details = new LinkedHashMap<>(counts(job.id()));
            details.put("job", job.id());
            details.put("kind", job.kind());
            if (failure != null) {
                details.put("failure", failure);
            }
            audit.record(job.actor(), job.companyId(), "company", String.valueOf(job.companyId()), "import", state,
                    details);
        });
    }

    private Map<String, Object> counts(long jobId) {
        return jdbc.queryForMap(JOB_COUNTS, jobId);
    }

    /** The rows the job will read in all, for its estimated time left. */
    void expect(long jobId, long rows) {
        jdbc.update(SET_EXPECTED_ROWS, rows, jobId);
    }

    /** {@code GET /imports/{id}}: state, progress (with rows per second and time left) and where the report is. */
    Map<String, Object> view(long jobId, List<Long> visibleCompanies) {
        Map<String, Object> row = find(jobId, visibleCompanies);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", jobId);
        view.put("companyId", ((Number) row.get("company_id")).longValue());
        view.put("kind", row.get("kind"));
        view.put("state", row.get("state"));
        OffsetDateTime started = (OffsetDateTime) row.get("started_at");
        OffsetDateTime finished = (OffsetDateTime) row.get("finished_at");
        view.put("startedAt", started.toInstant().toString());
        view.put("finishedAt", finished == null ? null : finished.toInstant().toString());
        long read = ((Number) row.get("rows_read")).longValue();
        Long expected = row.get("expected_rows") == null ? null : ((Number) row.get("expected_rows")).longValue();
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("rowsRead", read);
        for (String count : List.of("adopted", "created", "updated", "compared", "refused")) {
            progress.put(count, ((Number) row.get(count)).longValue());
        }
        Instant end = finished == null ? clock.instant() : finished.toInstant();
        double seconds = Math.max(0.001, Duration.between(started.toInstant(), end).toMillis() / 1000.0);
        double rate = read / seconds;
        progress.put("rowsPerSecond", Math.round(rate * 10) / 10.0);
        progress.put("expectedRows", expected);
        progress.put("secondsLeft", "running".equals(row.get("state")) && expected != null && rate > 0
                ? Math.max(0, Math.round((expected - read) / rate)) : null);
        view.put("progress", progress);
        view.put("failure", row.get("failure"));
        view.put("report", "/api/v1/imports/" + jobId + "/report");
        return view;
    }

    /** The company of a job the caller may see, or 404. */
    Map<String, Object> find(long jobId, List<Long> visibleCompanies) {
        List<Map<String, Object>> found = jdbc.query(JOB_VIEW, (rs, i) -> {
            Map<String, Object> job = new ColumnMapRowMapper().mapRow(rs, i);
            // read as instants with their offset on both databases
            job.put("started_at", rs.getObject("started_at", OffsetDateTime.class));
            job.put("finished_at", rs.getObject("finished_at", OffsetDateTime.class));
            return job;
        }, jobId);
        if (found.isEmpty() || !visibleCompanies.contains(((Number) found.get(0).get("company_id")).longValue())) {
            throw ProblemException.notFound("Import " + jobId + " not found.");
        }
        return found.get(0);
    }

    /** Writes the job's report as CSV (line, login, outcome, field, reason), in line order, streamed from the table. */
    void writeReport(long jobId, Writer out) throws IOException {
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader("line", "login", "outcome", "field", "reason")
                .get().print(out);
        jdbc.query(REPORT_ROWS, rs -> {
            try {
                printer.printRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, jobId);
        printer.flush();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
