package dev.ministramanager.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import dev.ministramanager.accounts.AccountCommands;
import dev.ministramanager.accounts.PasswordGenerator;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.imports.ImportJobs.PendingRow;
import dev.ministramanager.imports.KnownAccounts.Known;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates or updates accounts from a billing export, row by row through the accounts capability itself: a login we
 * do not have is created as {@code POST /accounts} would create it (and pushed), one we have is changed as
 * {@code PATCH /accounts/{login}} would change it. Every row is checked by the same rules first; a login that is on
 * more than one line is refused on all of them (which one is meant cannot be told), and so is a tariff that is not
 * one of the company's active plans, and an account number or MAC that another account has (ours, or an earlier
 * line's): in the dry run as in the real run.
 */
public class CsvImport {

    private final AccountCommands accounts;
    private final PasswordGenerator passwords;
    private final JdbcTemplate jdbc;
    private final KnownAccounts knownAccounts;
    private final int chunkSize;

    CsvImport(DataSource dataSource, KnownAccounts knownAccounts, AccountCommands accounts,
              PasswordGenerator passwords, int chunkSize) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.jdbc = new JdbcTemplate(dataSource);
        this.knownAccounts = knownAccounts;
        this.chunkSize = chunkSize;
    }

    /** Checks every row and changes nothing: the counts, and every refused row with its line, field and reason. */
    Map<String, Object> dryRun(long companyId, byte[] csv) {
        long[] counts = new long[4];
        List<Map<String, Object>> refusals = new ArrayList<>();
        walk(companyId, csv, 0, (chunk, read) -> {
            for (PendingRow row : chunk) {
                RowOutcome outcome = row.work().get();
                counts[outcome.outcome().equals(RowOutcome.CREATED) ? 0
                        : outcome.outcome().equals(RowOutcome.UPDATED) ? 1 : 2]++;
                if (outcome.outcome().equals(RowOutcome.REFUSED)) {
                    Map<String, Object> refusal = new LinkedHashMap<>();
                    refusal.put("line", outcome.line());
                    refusal.put("login", outcome.login());
                    refusal.put("field", outcome.field());
                    refusal.put("reason", outcome.reason());
                    refusals.add(refusal);
                }
            }
            counts[3] = read;
        }, null, null, total -> { });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", true);
        answer.put("rowsRead", counts[3]);
        answer.put("created", counts[0]);
        answer.put("updated", counts[1]);
        answer.put("refused", counts[2]);
        answer.put("refusedRows", refusals);
        return answer;
    }

    /** Applies the rows after the job's checkpoint, chunk by chunk; stops (leaving the job running) when asked to. */
    void run(ImportJobs jobs, ImportJobs.Job job, byte[] csv, BooleanSupplier stopping) {
        walk(job.companyId(), csv, job.checkpoint(), (chunk, read) -> jobs.applyChunk(job, chunk,
                read), job.actor(), stopping, total -> jobs.expect(job.id(), total));
    }

    private interface ChunkSink {
        void accept(List<PendingRow> chunk, long rowsRead);
    }

    /**
     * What the walk knows of the file: the logins on more than one line (with those lines), from a first read; and,
     * as rows are accepted in order, the line that took each account number and each MAC.
     */
    private record FileKeys(Map<String, List<Long>> duplicateLogins, Map<String, Long> takenNumbers,
                            Map<String, Long> takenMacs) {
    }

    /**
     * Reads the file twice: once for the logins on more than one line, then row by row, handing over chunks of rows
     * after {@code checkpoint}. With an actor, a row's work applies it; without, it only says what would happen.
     */
    private long walk(long companyId, byte[] csv, long checkpoint, ChunkSink sink, String actor,
                      BooleanSupplier stopping, LongConsumer recordCount) {
        FileKeys file = new FileKeys(new HashMap<>(), new HashMap<>(), new HashMap<>());
        long[] records = {0};
        CsvRows.read(csv, read -> {
            records[0]++;
            if (read.row() != null && read.row().login() != null) {
                file.duplicateLogins().computeIfAbsent(CsvRows.key(read.row().login()), k -> new ArrayList<>(1))
                        .add(read.row().line());
            }
        });
        file.duplicateLogins().values().removeIf(lines -> lines.size() == 1);
        recordCount.accept(records[0]);
        CompanyPlans plans = CompanyPlans.of(jdbc, companyId);
        List<CsvRows.Read> chunk = new ArrayList<>(chunkSize);
        long[] read = {0};
        CsvRows.read(csv, row -> {
            read[0]++;
            long line = row.row() != null ? row.row().line() : row.refused().line();
            if (line <= checkpoint) {
                return;
            }
            chunk.add(row);
            if (chunk.size() == chunkSize) {
                if (stopping != null && stopping.getAsBoolean()) {
                    throw new ImportRunner.Stopping();
                }
                sink.accept(pending(companyId, chunk, file, plans, actor), read[0]);
                chunk.clear();
            }
        });
        sink.accept(pending(companyId, chunk, file, plans, actor), read[0]);
        return read[0];
    }

    /** The account number a row gives its account: the one named, or for a create its login (as the API does). */
    private static String numberOf(CsvRow row, boolean create) {
        return row.accountNumber() != null ? row.accountNumber() : create ? row.login() : null;
    }

    private List<PendingRow> pending(long companyId, List<CsvRows.Read> chunk, FileKeys file, CompanyPlans plans,
                                     String actor) {
        Ours ours = ours(companyId, chunk);
        List<PendingRow> rows = new ArrayList<>(chunk.size());
        for (CsvRows.Read read : chunk) {
            if (read.refused() != null) {
                rows.add(new PendingRow(read.refused().line(), read.refused().login(), read::refused));
                continue;
            }
            CsvRow row = read.row();
            rows.add(new PendingRow(row.line(), row.login(), () -> apply(companyId, row, file, plans, ours, actor)));
        }
        return rows;
    }

    /**
     * Checks one row by the API's rules and, with an actor, applies it. A refusal by the checks is an outcome; one
     * by the accounts capability (a MAC or account number taken meanwhile) is thrown, so that the row's transaction
     * is rolled back and the row refused on its own.
     */
    private RowOutcome apply(long companyId, CsvRow row, FileKeys file, CompanyPlans plans, Ours ours,
                             String actor) {
        boolean update = row.login() != null && ours.byLogin().containsKey(CsvRows.key(row.login()));
        try {
            check(companyId, row, file, plans, update);
            checkKeysAreFree(row, file, ours, update);
        } catch (ProblemException refused) {
            return RowOutcome.refused(row.line(), row.login(), refused);
        }
        if (update) {
            if (actor != null) {
                accounts.change(companyId, row.login(), row.toChanges(), null, actor);
            }
            return new RowOutcome(row.line(), row.login(), RowOutcome.UPDATED, null, null);
        }
        if (actor != null) {
            boolean generated = row.password() == null;
            accounts.create(companyId, row.toNewAccount(companyId), row.status() == null ? "active" : row.status(),
                    generated ? passwords.generate() : row.password(), generated, actor);
        }
        return new RowOutcome(row.line(), row.login(), RowOutcome.CREATED, null, null);
    }

    private static void check(long companyId, CsvRow row, FileKeys file, CompanyPlans plans, boolean update) {
        if (update) {
            row.toChanges().validate();
        } else {
            row.toNewAccount(companyId).validate();
        }
        List<Long> sameLogin = file.duplicateLogins().get(CsvRows.key(row.login()));
        if (sameLogin != null) {
            throw ProblemException.conflict("login", "Login '" + row.login() + "' is on lines " + sameLogin
                    + " of the file: which one is meant cannot be told.");
        }
        if (row.tariff() != null && !plans.active().contains(row.tariff())) {
            throw ProblemException.unprocessable("tariff", "Tariff '" + row.tariff() + "' is "
                    + (plans.archived().contains(row.tariff()) ? "archived" : "not a tariff plan of company "
                    + companyId) + "; it must be an active tariff plan.");
        }
        // with the plan named on the row, its packages are checked here too (so a dry run reports them); without,
        // the plan is the account's own, and the accounts capability checks them when the row is applied
        if (row.tariff() != null && row.packages() != null) {
            for (String pkg : row.packages()) {
                if (!plans.optionalPackagesOf(row.tariff()).contains(pkg)) {
                    throw ProblemException.unprocessable("packages", "Package '" + pkg + "' is not an optional"
                            + " package of tariff plan '" + row.tariff() + "' (company " + companyId + ").");
                }
            }
        }
    }

    /**
     * An account number or MAC must not be another account's: one of ours (deleted ones keep theirs until purged),
     * or one an earlier accepted line of the file takes. The row's keys are then taken for the lines after it (a row
     * applied again, after its chunk failed, finds its own line). Rows before a resumed job's checkpoint are ours
     * by then.
     */
    private static void checkKeysAreFree(CsvRow row, FileKeys file, Ours ours, boolean update) {
        String login = CsvRows.key(row.login());
        String number = numberOf(row, !update);
        String numberKey = number == null ? null : CsvRows.key(number);
        String mac = CsvRows.macKey(row.stbMac());
        if (numberKey != null) {
            refuseTaken(row, "accountNumber", "Account number '" + number + "'", ours.byNumber().get(numberKey),
                    login, file.takenNumbers().get(numberKey));
        }
        if (mac != null) {
            refuseTaken(row, "stbMac", "MAC " + mac, ours.byMac().get(mac), login, file.takenMacs().get(mac));
        }
        if (numberKey != null) {
            file.takenNumbers().putIfAbsent(numberKey, row.line());
        }
        if (mac != null) {
            file.takenMacs().putIfAbsent(mac, row.line());
        }
    }

    private static void refuseTaken(CsvRow row, String field, String what, Known holder, String login,
                                    Long takenOnLine) {
        if (holder != null && !holder.loginKey().equals(login)) {
            throw ProblemException.conflict(field, what + " belongs to account '" + holder.login()
                    + "' of this company.");
        }
        if (takenOnLine != null && takenOnLine != row.line()) {
            throw ProblemException.conflict(field, what + " is taken by line " + takenOnLine + " of the file.");
        }
    }

    /** Our accounts a chunk's rows name: by login (not deleted: those rows update), by account number, by MAC. */
    private record Ours(Map<String, Known> byLogin, Map<String, Known> byNumber, Map<String, Known> byMac) {
    }

    private Ours ours(long companyId, List<CsvRows.Read> chunk) {
        Set<String> logins = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (CsvRows.Read read : chunk) {
            CsvRow row = read.row();
            if (row != null && row.login() != null) {
                logins.add(CsvRows.key(row.login()));
                numbers.add(CsvRows.key(numberOf(row, true)));
                String mac = CsvRows.macKey(row.stbMac());
                if (mac != null) {
                    macs.add(mac);
                }
            }
        }
        Ours ours = new Ours(new HashMap<>(), new HashMap<>(), new HashMap<>());
        for (Known known : knownAccounts.find(companyId, logins, numbers, macs)) {
            if (!known.deleted()) {
                ours.byLogin().put(known.loginKey(), known);
            }
            ours.byNumber().put(known.numberKey(), known);
            if (known.stbMac() != null) {
                ours.byMac().put(known.stbMac(), known);
            }
        }
        return ours;
    }

}
