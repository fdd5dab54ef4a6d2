package dev.ministramanager.imports;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.fleet.AccountKeys;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.imports.ImportJobs.PendingRow;
import dev.ministramanager.imports.KnownAccounts.Known;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRowRead;
import dev.ministramanager.reconciliation.Adoptions;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Onboards a company whose subscribers are in Ministra already: reads Ministra's full listing as it arrives (the
 * reconciliation's streamed read, so memory stays bounded however many rows there are), and per chunk of rows
 * adopts every account we do not know through the reconciliation's {@link Adoptions#adoptRow}. An account we know
 * (same login, account number or MAC) is compared and never overwritten: its differences are reported. A row
 * without a login (a box that registered itself), or whose plan is archived or none of ours, is reported and not
 * adopted: a plan is never invented. Where Ministra's internal billing is on, a row's {@code end_date} (in Ministra's
 * time zone, mm.accounts.ministra-time-zone) becomes the adopted account's expiry; Ministra's zero date means none.
 */
public class MinistraImport {

    private static final String SET_EXPIRY = SqlStatements.load("imports-account-expiry");
    /** How Ministra writes dates (MySQL DATETIME, no offset); its "no expiry" is the zero date, not a date. */
    private static final DateTimeFormatter MINISTRA_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final String ZERO_DATE = "0000-00-00";

    /** The listing's guards (mm.imports.ministra-listing-timeout, mm.imports.ministra-max-accounts). */
    public record ListingLimits(Duration timeout, long maxAccounts) {
    }

    /** A listed row: the account, and its end_date as Ministra wrote it (null when Ministra does not report it). */
    private record Listed(RemoteAccount account, String endDate) {
    }

    private final JdbcTemplate jdbc;
    private final KnownAccounts knownAccounts;
    private final BatchReads reads;
    private final Adoptions adoptions;
    private final ListingLimits limits;
    private final ZoneId ministraZone;
    private final int chunkSize;

    MinistraImport(DataSource dataSource, KnownAccounts knownAccounts, BatchReads reads, Adoptions adoptions,
                   ListingLimits limits, ZoneId ministraZone, int chunkSize) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.knownAccounts = knownAccounts;
        this.reads = reads;
        this.adoptions = adoptions;
        this.limits = limits;
        this.ministraZone = ministraZone;
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
        List<Listed> chunk = new ArrayList<>(chunkSize);
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
                    chunk.add(new Listed(RemoteAccount.of(row), endDate(row)));
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

    private static String endDate(JsonNode row) {
        JsonNode endDate = row.get("end_date");
        return endDate == null || endDate.isNull() ? null : endDate.asText();
    }

    private List<PendingRow> pending(long companyId, List<Listed> rows, long firstPosition, CompanyPlans plans,
                                     ImportJobs.Job job) {
        Map<String, Known> known = known(companyId, rows.stream().map(Listed::account).toList());
        List<PendingRow> pending = new ArrayList<>(rows.size());
        long position = firstPosition;
        for (Listed row : rows) {
            long line = position++;
            String login = row.account().login();
            pending.add(new PendingRow(line, login, () -> outcome(companyId, line, row, known, plans, job)));
        }
        return pending;
    }

    private RowOutcome outcome(long companyId, long line, Listed listed, Map<String, Known> known, CompanyPlans plans,
                               ImportJobs.Job job) {
        RemoteAccount row = listed.account();
        Known ours = firstKnown(known, AccountKeys.keysOf(row));
        if (ours != null) {
            return compared(line, listed, ours);
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
        OffsetDateTime expiry;
        try {
            expiry = expiry(listed.endDate());
        } catch (DateTimeParseException notADate) {
            return RowOutcome.refused(line, row.login(), "expiresAt", "Ministra's end_date '" + listed.endDate()
                    + "' is not a date (YYYY-MM-DD HH:MM:SS); correct it in Ministra.");
        }
        if (job != null) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("import", job.id());
            if (expiry != null) {
                context.put("expiresAt", expiry.toInstant().toString());
            }
            Map<String, Object> adopted = adoptions.adoptRow(companyId, row, job.actor(), context);
            if (expiry != null) {
                // Ministra has this end_date already: the account stays synced (its version is not raised)
                jdbc.update(SET_EXPIRY, expiry, adopted.get("id"));
            }
        }
        return new RowOutcome(line, row.login(), RowOutcome.ADOPTED, null, null);
    }

    /**
     * Ministra's end_date as our expiry: null when Ministra does not report it (internal billing off) or reports its
     * zero date (no expiry); a text that is no date fails to parse.
     */
    private OffsetDateTime expiry(String endDate) {
        if (endDate == null || endDate.isEmpty() || endDate.startsWith(ZERO_DATE)) {
            return null;
        }
        return LocalDateTime.parse(endDate, MINISTRA_TIME).atZone(ministraZone).toOffsetDateTime();
    }

    /** An account we know: the fields where Ministra differs from us, reported and left as we have them. */
    private RowOutcome compared(long line, Listed listed, Known ours) {
        RemoteAccount row = listed.account();
        StringJoiner differences = new StringJoiner("; ");
        String first = null;
        Map<String, String[]> fields = new LinkedHashMap<>();
        fields.put("status", new String[] {ours.status(), row.statusName()});
        fields.put("tariff", new String[] {ours.tariff(), ours.tariff() == null ? null : row.tariffPlan()});
        fields.put("fullName", new String[] {ours.fullName(), row.fullName()});
        fields.put("phone", new String[] {ours.phone(), row.phone()});
        fields.put("stbMac", new String[] {ours.stbMac(), row.macKey()});
        if (listed.endDate() != null) {
            // compared as Ministra writes it, in Ministra's time zone; its zero date is "none"
            fields.put("expiresAt", new String[] {ours.expiresAt() == null ? null
                    : ours.expiresAt().atZoneSameInstant(ministraZone).format(MINISTRA_TIME),
                    listed.endDate().startsWith(ZERO_DATE) ? null : listed.endDate()});
        }
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

    private static Known firstKnown(Map<String, Known> known, List<String> keys) {
        for (String key : keys) {
            Known ours = known.get(key);
            if (ours != null) {
                return ours;
            }
        }
        return null;
    }

    private Map<String, Known> known(long companyId, List<RemoteAccount> rows) {
        AccountKeys keys = AccountKeys.of(rows);
        Map<String, Known> known = new HashMap<>();
        for (Known ours : knownAccounts.find(companyId, keys.logins(), keys.numbers(), keys.macs())) {
            AccountKeys.stored(ours.loginKey(), ours.numberKey(), ours.stbMac()).forEach(key -> known.put(key, ours));
        }
        return known;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
