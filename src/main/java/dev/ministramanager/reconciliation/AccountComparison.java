package dev.ministramanager.reconciliation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.fleet.AccountKeys;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.BatchReads.Match;
import dev.ministramanager.fleet.BatchReads.Mode;
import dev.ministramanager.fleet.LocalAccount;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraFailure.Kind;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRowRead;
import dev.ministramanager.reconciliation.Reconciliations.ListingSettings;
import dev.ministramanager.reconciliation.Reconciliations.RunFailed;

/**
 * The comparison of a reconciliation run: our accounts read from Ministra in batches and compared field by field,
 * our MACs looked up for rows only Ministra has, and optionally Ministra's full listing checked against our records.
 * Findings are stored as they are found; a bad answer throws (a {@link MinistraFailure} or {@link RunFailed}).
 */
class AccountComparison {

    private static final int CHUNK = 500;

    private final LocalAccounts accounts;
    private final BatchReads batchReads;
    private final ReconciliationStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final ListingSettings listing;

    AccountComparison(LocalAccounts accounts, BatchReads batchReads, ReconciliationStore store, ObjectMapper json,
                      Clock clock, ListingSettings listing) {
        this.accounts = accounts;
        this.batchReads = batchReads;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.listing = listing;
    }

    /** Reads every account of ours in batches and compares it with its Ministra row. */
    void compareOurAccounts(ReconciliationPass pass, String baseUrl) {
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
                                String.join(",", new TreeSet<>(theirs.subscribed())));
                    }
                }
                store.insertFindings(pass, findings);
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
    void findRowsByKnownMacs(ReconciliationPass pass, String baseUrl) {
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
                store.insertFindings(pass, findings);
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
    void findRowsByFullListing(ReconciliationPass pass) {
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

    private void checkListed(ReconciliationPass pass, List<RemoteAccount> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> known = store.knownAccountKeys(pass.companyId, AccountKeys.of(rows));
        List<Object[]> findings = new ArrayList<>();
        for (RemoteAccount row : rows) {
            boolean ours = AccountKeys.keysOf(row).stream().anyMatch(known::contains);
            if (!ours && (row.macKey() == null || pass.reportedMacs.add(row.macKey()))) {
                findings.add(onlyInMinistra(pass, row));
            }
        }
        store.insertFindings(pass, findings);
    }

    private void drift(ReconciliationPass pass, List<Object[]> findings, LocalAccount ours, String field, String mine,
                       String theirs) {
        String left = mine == null ? "" : mine;
        String right = theirs == null ? "" : theirs;
        if (!left.equals(right)) {
            findings.add(finding(pass, "drift", ours, field, cut(mine), cut(theirs), null));
        }
    }

    private Object[] finding(ReconciliationPass pass, String kind, LocalAccount ours, String field, String mine, String theirs,
                             String remote) {
        return new Object[] {pass.runId, pass.companyId, kind, ours.id(), ours.login(), ours.accountNumber(),
            ours.stbMac(), field, mine, theirs, remote};
    }

    private Object[] onlyInMinistra(ReconciliationPass pass, RemoteAccount row) {
        try {
            return new Object[] {pass.runId, pass.companyId, "only_in_ministra", null, cut64(row.login()),
                cut64(row.accountNumber()), cut64(row.stbMac()), null, null, null, json.writeValueAsString(row)};
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRowOf(LocalAccount account, RemoteAccount row) {
        String number = RemoteAccount.collationKey(row.accountNumber());
        String login = RemoteAccount.collationKey(row.login());
        return Objects.equals(number, account.numberKey())
                || Objects.equals(login, RemoteAccount.collationKey(account.login()));
    }

    private static String cut(String value) {
        return value == null || value.length() <= 200 ? value : value.substring(0, 200);
    }

    private static String cut64(String value) {
        return value == null || value.length() <= 64 ? value : value.substring(0, 64);
    }
}
