package dev.ministramanager.reconciliation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.companies.Companies;
import dev.ministramanager.http.ProblemException;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraFailure.Kind;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRowRead;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.status.BatchReads;
import dev.ministramanager.status.BatchReads.Match;
import dev.ministramanager.status.BatchReads.Mode;
import dev.ministramanager.status.LocalAccount;
import dev.ministramanager.status.LocalAccounts;
import dev.ministramanager.status.RefreshLeases;
import dev.ministramanager.status.RemoteAccount;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

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

    private static final String INSERT_FINDING = "INSERT INTO reconciliation_finding (run_id, company_id, kind,"
            + " account_id, login, account_number, stb_mac, field, ours, theirs, remote, resolution)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported')";
    private static final int CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Companies companies;
    private final LocalAccounts accounts;
    private final BatchReads batchReads;
    private final RefreshLeases leases;
    private final ReconciliationPolicies policies;
    private final Adoptions adoptions;
    private final ReconciliationEnforcement enforcement;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final ListingSettings listing;

    public Reconciliations(DataSource dataSource, Companies companies, LocalAccounts accounts, BatchReads batchReads,
                           RefreshLeases leases, ReconciliationPolicies policies, Adoptions adoptions,
                           ReconciliationEnforcement enforcement, AuditTrail audit, ObjectMapper json, Clock clock,
                           ListingSettings listing) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.companies = companies;
        this.accounts = accounts;
        this.batchReads = batchReads;
        this.leases = leases;
        this.policies = policies;
        this.adoptions = adoptions;
        this.enforcement = enforcement;
        this.audit = audit;
        this.json = json;
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
        long runId = insertRun(companyId, policy, fullListing, actor);
        Pass pass = new Pass(runId, companyId);
        String status = "completed";
        String failure = null;
        try {
            String baseUrl = companies.of(companyId).baseUrl();
            compareOurAccounts(pass, baseUrl);
            findRowsByKnownMacs(pass, baseUrl);
            if (fullListing) {
                findRowsByFullListing(pass);
            }
        } catch (MinistraFailure | RunFailed bad) {
            status = "failed";
            failure = bad.getMessage();
        }
        jdbc.update("UPDATE reconciliation_run SET status = ?, finished_at = ?, accounts = ?, drafts = ?,"
                        + " remote_rows = ?, requests = ?, failure = ? WHERE id = ?", status,
                Timestamp.from(clock.instant()), pass.accounts, pass.drafts, pass.remoteRows, pass.requests, failure,
                runId);
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
            applyPolicy(runId, companyId, policy, actor);
        }
        return runId;
    }

    /** Reads every account of ours in batches and compares it with its Ministra row. */
    private void compareOurAccounts(Pass pass, String baseUrl) {
        BatchReads.Handler handler = new BatchReads.Handler() {
            @Override
            public void matched(List<Match> matches) {
                List<Object[]> findings = new ArrayList<>();
                for (Match match : matches) {
                    LocalAccount ours = match.account();
                    RemoteAccount theirs = match.row();
                    if (theirs == null) {
                        findings.add(finding(pass, "missing_in_ministra", ours, null, null, null, null));
                        continue;
                    }
                    drift(pass, findings, ours, "status", ours.status(), theirs.statusName());
                    if (ours.tariff() != null) {
                        // Ministra reports its default plan for rows without one; no tariff of ours has no opinion
                        drift(pass, findings, ours, "tariff", ours.tariff(), theirs.tariffPlan());
                    }
                    drift(pass, findings, ours, "full_name", ours.fullName(), theirs.fullName());
                    drift(pass, findings, ours, "phone", ours.phone(), theirs.phone());
                    drift(pass, findings, ours, "stb_mac", ours.stbMac(), theirs.stbMac() == null ? null
                            : theirs.stbMac().toUpperCase(Locale.ROOT));
                    if (ours.managesPackages()) {
                        drift(pass, findings, ours, "packages", ours.packagesText(),
                                String.join(",", new java.util.TreeSet<>(theirs.subscribed())));
                    }
                }
                insertFindings(pass, findings);
            }

            @Override
            public void failed(List<LocalAccount> accounts, MinistraFailure failure) {
                throw new RunFailed("Reading " + accounts.size() + " account(s) from Ministra failed: "
                        + failure.getMessage());
            }
        };
        BatchReads.Session byNumber = batchReads.open(pass.companyId, baseUrl, Mode.NUMBER, handler);
        BatchReads.Session byMac = batchReads.open(pass.companyId, baseUrl, Mode.MAC, handler);
        try {
            accounts.forEachPage(pass.companyId, page -> page.forEach(account -> {
                pass.accounts++;
                if (account.draft()) {
                    // not meant to be in Ministra yet: neither missing there nor drifted, and never enforced
                    pass.drafts++;
                } else if (account.readableByNumber()) {
                    byNumber.add(account);
                } else if (account.stbMac() != null) {
                    byMac.add(account);
                } else {
                    throw new RunFailed("Account '" + account.login() + "' has neither an account number nor a MAC"
                            + " that can be sent to Ministra.");
                }
            }));
            byNumber.finish();
            byMac.finish();
        } finally {
            pass.requests += byNumber.requests() + byMac.requests();
        }
    }

    /**
     * Looks our MACs up in Ministra: a row with one of our MACs that is not that account's own row (a box that
     * registered itself, or a row made in Ministra's panel) exists only in Ministra.
     */
    private void findRowsByKnownMacs(Pass pass, String baseUrl) {
        BatchReads.Session byMac = batchReads.open(pass.companyId, baseUrl, Mode.MAC, new BatchReads.Handler() {
            @Override
            public void matched(List<Match> matches) {
                List<Object[]> findings = new ArrayList<>();
                for (Match match : matches) {
                    for (RemoteAccount row : match.rows()) {
                        if (!isRowOf(match.account(), row) && pass.reportedMacs.add(row.macKey())) {
                            findings.add(onlyInMinistra(pass, row));
                        }
                    }
                }
                insertFindings(pass, findings);
            }

            @Override
            public void failed(List<LocalAccount> accounts, MinistraFailure failure) {
                throw new RunFailed("Looking up " + accounts.size() + " MAC(s) in Ministra failed: "
                        + failure.getMessage());
            }
        });
        try {
            accounts.forEachPage(pass.companyId, page -> page.stream().filter(a -> a.stbMac() != null)
                    .forEach(byMac::add));
            byMac.finish();
        } finally {
            pass.requests += byMac.requests();
        }
    }

    /**
     * {@code GET accounts} without identifiers: every row Ministra has, parsed as it arrives, checked in chunks
     * against our records. Guarded by a deadline and a row limit; an empty listing while we have accounts is taken
     * for the failure it almost certainly is, never for "Ministra has nothing".
     */
    private void findRowsByFullListing(Pass pass) {
        Instant deadline = clock.instant().plus(listing.timeout());
        List<RemoteAccount> chunk = new ArrayList<>(CHUNK);
        long[] rows = {0};
        pass.requests++;
        batchReads.call(new MinistraRowRead(MinistraRequest.get(pass.companyId, "accounts"),
                (int) Math.min(Integer.MAX_VALUE, listing.timeout().toMillis()), row -> {
                    if (++rows[0] > listing.maxAccounts()) {
                        throw new RunFailed("The full listing has more than " + listing.maxAccounts()
                                + " accounts (mm.reconciliation.full-listing-max-accounts); it was abandoned.");
                    }
                    if (clock.instant().isAfter(deadline)) {
                        throw new MinistraFailure(Kind.TIMEOUT, "The full listing took longer than "
                                + listing.timeout() + " (mm.reconciliation.full-listing-timeout)", null, null);
                    }
                    chunk.add(RemoteAccount.of(row));
                    if (chunk.size() == CHUNK) {
                        checkListed(pass, chunk);
                        chunk.clear();
                    }
                }));
        checkListed(pass, chunk);
        pass.remoteRows = rows[0];
        if (rows[0] == 0 && pass.accounts > 0) {
            throw new RunFailed("Ministra listed no accounts at all while we have " + pass.accounts
                    + "; an empty listing is not trusted.");
        }
    }

    private void checkListed(Pass pass, List<RemoteAccount> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> logins = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (RemoteAccount row : rows) {
            addKey(logins, RemoteAccount.collationKey(row.login()));
            addKey(numbers, RemoteAccount.collationKey(row.accountNumber()));
            addKey(macs, row.macKey());
        }
        MapSqlParameterSource keys = new MapSqlParameterSource("company", pass.companyId)
                .addValue("logins", orNone(logins)).addValue("numbers", orNone(numbers))
                .addValue("macs", orNone(macs));
        Set<String> known = new HashSet<>();
        named.query("SELECT login_key, LOWER(account_number) AS number_key, stb_mac FROM account"
                + " WHERE company_id = :company AND (login_key IN (:logins) OR LOWER(account_number) IN (:numbers)"
                + " OR stb_mac IN (:macs))", keys, rs -> {
                    known.add("l:" + rs.getString(1));
                    known.add("n:" + rs.getString(2));
                    if (rs.getString(3) != null) {
                        known.add("m:" + rs.getString(3));
                    }
                });
        List<Object[]> findings = new ArrayList<>();
        for (RemoteAccount row : rows) {
            String login = RemoteAccount.collationKey(row.login());
            String number = RemoteAccount.collationKey(row.accountNumber());
            boolean ours = (login != null && !login.isEmpty() && known.contains("l:" + login))
                    || (number != null && !number.isEmpty() && known.contains("n:" + number))
                    || (row.macKey() != null && known.contains("m:" + row.macKey()));
            if (!ours && (row.macKey() == null || pass.reportedMacs.add(row.macKey()))) {
                findings.add(onlyInMinistra(pass, row));
            }
        }
        insertFindings(pass, findings);
    }

    private void applyPolicy(long runId, long companyId, String policy, String actor) {
        if (policy.equals("report")) {
            return;
        }
        long after = 0;
        while (true) {
            List<Long> accountIds = jdbc.queryForList("SELECT DISTINCT account_id FROM reconciliation_finding"
                    + " WHERE run_id = ? AND account_id > ? AND kind IN ('drift', 'missing_in_ministra')"
                    + " ORDER BY account_id LIMIT " + CHUNK, Long.class, runId, after);
            if (accountIds.isEmpty()) {
                return;
            }
            Map<Long, List<Map<String, Object>>> byAccount = new LinkedHashMap<>();
            named.queryForList("SELECT id, kind, account_id, login, field, ours, theirs FROM reconciliation_finding"
                            + " WHERE run_id = :run AND account_id IN (:accounts)"
                            + " AND kind IN ('drift', 'missing_in_ministra') ORDER BY account_id, id",
                    new MapSqlParameterSource("run", runId).addValue("accounts", accountIds))
                    .forEach(f -> byAccount.computeIfAbsent(((Number) f.get("account_id")).longValue(),
                            k -> new ArrayList<>()).add(f));
            // all findings of one account are applied together
            byAccount.forEach((accountId, findings) -> apply(runId, companyId, policy, actor, accountId, findings));
            after = accountIds.get(accountIds.size() - 1);
        }
    }

    private void apply(long runId, long companyId, String policy, String actor, long accountId,
                       List<Map<String, Object>> findings) {
        if (policy.equals("adopt")) {
            adoptions.adoptDrift(runId, companyId, accountId, findings, actor);
            return;
        }
        String login = (String) findings.get(0).get("login");
        List<String> reasons = findings.stream().map(f -> f.get("kind").equals("drift")
                ? "drift:" + f.get("field") : (String) f.get("kind")).toList();
        String detail = enforcement.requestPush(companyId, accountId, login, String.join(",", reasons), runId,
                actor);
        String resolution = detail.equals(ReconciliationEnforcement.REQUESTED) ? "push_requested"
                : detail.equals(ReconciliationEnforcement.LEFT_DRAFT) ? "left_draft" : "left_dead";
        for (Map<String, Object> finding : findings) {
            jdbc.update("UPDATE reconciliation_finding SET resolution = ?, resolution_detail = ? WHERE id = ?",
                    resolution, detail, finding.get("id"));
        }
    }

    private void drift(Pass pass, List<Object[]> findings, LocalAccount ours, String field, String mine,
                       String theirs) {
        String left = mine == null ? "" : mine;
        String right = theirs == null ? "" : theirs;
        if (!left.equals(right)) {
            findings.add(finding(pass, "drift", ours, field, cut(mine), cut(theirs), null));
        }
    }

    private Object[] finding(Pass pass, String kind, LocalAccount ours, String field, String mine, String theirs,
                             String remote) {
        return new Object[] {pass.runId, pass.companyId, kind, ours.id(), ours.login(), ours.accountNumber(),
            ours.stbMac(), field, mine, theirs, remote};
    }

    private Object[] onlyInMinistra(Pass pass, RemoteAccount row) {
        try {
            return new Object[] {pass.runId, pass.companyId, "only_in_ministra", null, cut64(row.login()),
                cut64(row.accountNumber()), cut64(row.stbMac()), null, null, null, json.writeValueAsString(row)};
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void insertFindings(Pass pass, List<Object[]> findings) {
        if (!findings.isEmpty()) {
            jdbc.batchUpdate(INSERT_FINDING, findings);
            pass.findings += findings.size();
        }
    }

    private static boolean isRowOf(LocalAccount account, RemoteAccount row) {
        String number = RemoteAccount.collationKey(row.accountNumber());
        String login = RemoteAccount.collationKey(row.login());
        return Objects.equals(number, account.numberKey())
                || Objects.equals(login, RemoteAccount.collationKey(account.login()));
    }

    private long insertRun(long companyId, String policy, boolean fullListing, String actor) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("INSERT INTO reconciliation_run (company_id, policy,"
                    + " full_listing, actor, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
                    new String[] {"id"});
            insert.setLong(1, companyId);
            insert.setString(2, policy);
            insert.setBoolean(3, fullListing);
            insert.setString(4, actor);
            insert.setTimestamp(5, Timestamp.from(clock.instant()));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    private static void addKey(Set<String> keys, String key) {
        if (key != null && !key.isEmpty()) {
            keys.add(key);
        }
    }

    private static Set<String> orNone(Set<String> keys) {
        // IN () is not SQL; a value no key can have keeps the query valid (empty keys are never collected, and a
        // NUL, which PostgreSQL refuses in text, would fail the run)
        return keys.isEmpty() ? Set.of("") : keys;
    }

    private static String cut(String value) {
        return value == null || value.length() <= 200 ? value : value.substring(0, 200);
    }

    private static String cut64(String value) {
        return value == null || value.length() <= 64 ? value : value.substring(0, 64);
    }

    /** One run's progress. */
    private static final class Pass {
        final long runId;
        final long companyId;
        final Set<String> reportedMacs = new HashSet<>();
        int accounts;
        int drafts;
        long remoteRows;
        int requests;
        int findings;

        Pass(long runId, long companyId) {
            this.runId = runId;
            this.companyId = companyId;
        }
    }

    /** A run cannot complete; the message says why. */
    static final class RunFailed extends RuntimeException {
        RunFailed(String message) {
            super(message, null, false, false);
        }
    }
}
