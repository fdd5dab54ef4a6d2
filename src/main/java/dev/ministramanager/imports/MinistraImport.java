package dev.ministramanager.imports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.ministramanager.fleet.AccountKeys;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.imports.ImportJobs.PendingRow;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRowRead;
import dev.ministramanager.reconciliation.Adoptions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Onboards a company whose subscribers are in Ministra already: reads Ministra's full listing as it arrives (the
 * reconciliation's streamed read, so memory stays bounded however many rows there are), and per chunk of rows
 * adopts every account we do not know through the reconciliation's {@link Adoptions#adoptRow}. An account we know
 * (same login, account number or MAC) is compared and never overwritten: its differences are reported. A row
 * without a login (a box that registered itself), or whose plan is archived or none of ours, is reported and not
 * adopted: a plan is never invented.
 */
public class MinistraImport {

    /** The listing's guards (mm.imports.ministra-listing-timeout, mm.imports.ministra-max-accounts). */
    public record ListingLimits(Duration timeout, long maxAccounts) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final BatchReads reads;
    private final Adoptions adoptions;
    private final ListingLimits limits;
    private final int chunkSize;

    public MinistraImport(DataSource dataSource, BatchReads reads, Adoptions adoptions, ListingLimits limits,
                          int chunkSize) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.reads = reads;
        this.adoptions = adoptions;
        this.limits = limits;
        this.chunkSize = chunkSize;
    }

    /** Reads the whole listing and changes nothing: how many rows would be adopted, compared or refused, and why. */
    Map<String, Object> dryRun(long companyId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String count : List.of("rowsRead", RowOutcome.ADOPTED, RowOutcome.COMPARED, "withDifferences",
                RowOutcome.REFUSED)) {
            counts.put(count, 0L);
        }
        Map<String, Long> refusedBy = new LinkedHashMap<>();
        long read = walk(companyId, 0, (chunk, rows) -> {
            for (PendingRow row : chunk) {
                RowOutcome outcome = row.work().get();
                counts.merge(outcome.outcome(), 1L, Long::sum);
                if (outcome.outcome().equals(RowOutcome.COMPARED) && outcome.reason() != null) {
                    counts.merge("withDifferences", 1L, Long::sum);
                }
                if (outcome.outcome().equals(RowOutcome.REFUSED)) {
                    refusedBy.merge(outcome.field(), 1L, Long::sum);
                }
            }
        }, null, null);
        counts.put("rowsRead", read);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", true);
        answer.putAll(counts);
        answer.put("refusedByField", refusedBy);
        return answer;
    }

    /** Adopts the rows after the job's checkpoint; stops (leaving the job running) when asked to. */
    void run(ImportJobs jobs, ImportJobs.Job job, BooleanSupplier stopping) {
        walk(job.companyId(), job.checkpoint(), (chunk, rows) -> jobs.applyChunk(job, chunk, rows), job,
                stopping);
    }

    private interface ChunkSink {
        void accept(List<PendingRow> chunk, long rowsRead);
    }

    private long walk(long companyId, long checkpoint, ChunkSink sink, ImportJobs.Job job, BooleanSupplier stopping) {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        CompanyPlans plans = CompanyPlans.of(jdbc, companyId);
        List<RemoteAccount> chunk = new ArrayList<>(chunkSize);
        long[] position = {0};
        reads.call(new MinistraRowRead(MinistraRequest.get(companyId, "accounts"),
                (int) Math.min(Integer.MAX_VALUE, limits.timeout().toMillis()), row -> {
                    if (++position[0] > limits.maxAccounts()) {
                        throw new ImportRunner.ImportFailed("The listing has more than " + limits.maxAccounts()
                                + " accounts (mm.imports.ministra-max-accounts); the import was abandoned.");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new MinistraFailure(MinistraFailure.Kind.TIMEOUT, "The listing took longer than "
                                + limits.timeout() + " (mm.imports.ministra-listing-timeout)", null, null);
                    }
                    if (position[0] <= checkpoint) {
                        return;
                    }
                    chunk.add(RemoteAccount.of(row));
                    if (chunk.size() == chunkSize) {
                        if (stopping != null && stopping.getAsBoolean()) {
                            throw new ImportRunner.Stopping();
                        }
                        sink.accept(pending(companyId, chunk, position[0] - chunk.size() + 1, plans, job),
                                position[0]);
                        chunk.clear();
                    }
                }));
        sink.accept(pending(companyId, chunk, position[0] - chunk.size() + 1, plans, job), position[0]);
        return position[0];
    }

    /** Ours, as the comparison needs it, found by login, account number or MAC. */
    private record Ours(String login, String status, String tariff, String fullName, String phone, String stbMac) {
    }

    private List<PendingRow> pending(long companyId, List<RemoteAccount> rows, long firstPosition, CompanyPlans plans,
                                     ImportJobs.Job job) {
        Map<String, Ours> known = known(companyId, rows);
        List<PendingRow> pending = new ArrayList<>(rows.size());
        long position = firstPosition;
        for (RemoteAccount row : rows) {
            long line = position++;
            String login = row.login();
            pending.add(new PendingRow(line, login, () -> outcome(companyId, line, row, known, plans, job)));
        }
        return pending;
    }

    private RowOutcome outcome(long companyId, long line, RemoteAccount row, Map<String, Ours> known, CompanyPlans plans,
                               ImportJobs.Job job) {
        Ours ours = firstKnown(known, AccountKeys.keysOf(row));
        if (ours != null) {
            return compared(line, row, ours);
        }
        if (row.login() == null || row.login().isBlank()) {
            return RowOutcome.refused(line, null, "login", "A box without an account (MAC " + row.stbMac()
                    + "): give it a login in Ministra first.");
        }
        if (row.tariffPlan() != null && !row.tariffPlan().isEmpty() && !plans.active().contains(row.tariffPlan())) {
            return RowOutcome.refused(line, row.login(), "tariff", "Ministra's plan '" + row.tariffPlan() + "' is "
                    + (plans.archived().contains(row.tariffPlan()) ? "archived here" : "none of this company's plans")
                    + " (sync tariffs, or change the plan in Ministra); the account is not adopted.");
        }
        if (row.macKey() != null && !MinistraRequest.CANONICAL_MAC.matcher(row.macKey()).matches()) {
            return RowOutcome.refused(line, row.login(), "stbMac", "Ministra's MAC '" + row.stbMac()
                    + "' is not a valid MAC.");
        }
        if (job != null) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("import", job.id());
            adoptions.adoptRow(companyId, row, job.actor(), context);
        }
        return new RowOutcome(line, row.login(), RowOutcome.ADOPTED, null, null);
    }

    /** An account we know: the fields where Ministra differs from us, reported and left as we have them. */
    private static RowOutcome compared(long line, RemoteAccount row, Ours ours) {
        StringJoiner differences = new StringJoiner("; ");
        String first = null;
        Map<String, String[]> fields = new LinkedHashMap<>();
        fields.put("status", new String[] {ours.status(), row.statusName()});
        fields.put("tariff", new String[] {ours.tariff(), ours.tariff() == null ? null : row.tariffPlan()});
        fields.put("fullName", new String[] {ours.fullName(), row.fullName()});
        fields.put("phone", new String[] {ours.phone(), row.phone()});
        fields.put("stbMac", new String[] {ours.stbMac(), row.macKey()});
        for (Map.Entry<String, String[]> field : fields.entrySet()) {
            String mine = emptyToNull(field.getValue()[0]);
            String theirs = emptyToNull(field.getValue()[1]);
            if (!Objects.equals(mine, theirs)) {
                differences.add(field.getKey() + ": ours '" + Objects.toString(mine, "") + "', Ministra's '"
                        + Objects.toString(theirs, "") + "'");
                first = first == null ? field.getKey() : first;
            }
        }
        return new RowOutcome(line, ours.login(), RowOutcome.COMPARED, first,
                first == null ? null : differences.toString());
    }

    private static Ours firstKnown(Map<String, Ours> known, List<String> keys) {
        for (String key : keys) {
            Ours ours = known.get(key);
            if (ours != null) {
                return ours;
            }
        }
        return null;
    }

    private Map<String, Ours> known(long companyId, List<RemoteAccount> rows) {
        Map<String, Ours> known = new HashMap<>();
        if (rows.isEmpty()) {
            return known;
        }
        named.query("SELECT a.login, a.login_key, a.account_number_key, a.stb_mac, a.status, t.external_id AS tariff,"
                        + " a.full_name, a.phone FROM account a LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id"
                        + " WHERE a.company_id = :company AND (a.login_key IN (:logins)"
                        + " OR a.account_number_key IN (:numbers) OR a.stb_mac IN (:macs))",
                new MapSqlParameterSource(AccountKeys.of(rows).parameters()).addValue("company", companyId), rs -> {
                    Ours ours = new Ours(rs.getString("login"), rs.getString("status"), rs.getString("tariff"),
                            rs.getString("full_name"), rs.getString("phone"), rs.getString("stb_mac"));
                    AccountKeys.stored(rs.getString("login_key"), rs.getString("account_number_key"),
                            rs.getString("stb_mac")).forEach(key -> known.put(key, ours));
                });
        return known;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
