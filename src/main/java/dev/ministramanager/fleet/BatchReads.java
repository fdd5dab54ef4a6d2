package dev.ministramanager.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraFailure.Kind;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRequests;
import dev.ministramanager.ministra.MinistraRowRead;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * Reads many of our accounts from Ministra with {@code GET accounts/<id>,<id>,…} (API-SPEC §6): by account number,
 * or by MAC for accounts whose number cannot go into a URL. Identifiers are de-duplicated, every URL stays under the
 * configured length, rows are matched by account number or MAC (never by position), and a batch that Ministra
 * refuses with "One or more identifiers are incorrect" is bisected until the missing accounts are found, so one
 * missing account never hides the others. Each answer is parsed row by row; at most one batch is held.
 */
public class BatchReads {

    static final String ROW_READ_ROUTE = "direct:ministra-read-rows";
    public static final String NOT_FOUND = "Account not found";
    static final String SOME_INCORRECT = "One or more identifiers are incorrect";

    /** How a batch names its accounts; Ministra decides the mode by the first identifier. */
    public enum Mode { NUMBER, MAC }

    /** One of our accounts and the Ministra rows found for it: none when Ministra does not have it. */
    public record Match(LocalAccount account, List<RemoteAccount> rows) {

        public boolean found() {
            return !rows.isEmpty();
        }

        /**
         * The row that is this account. Several rows share an account number when a household has several boxes
         * in Ministra: the one with our login is ours, else the one with our MAC, else the first.
         */
        public RemoteAccount row() {
            if (rows.isEmpty()) {
                return null;
            }
            String login = RemoteAccount.collationKey(account.login());
            for (RemoteAccount row : rows) {
                if (login != null && login.equals(RemoteAccount.collationKey(row.login()))) {
                    return row;
                }
            }
            for (RemoteAccount row : rows) {
                if (account.stbMac() != null && account.stbMac().equals(row.macKey())) {
                    return row;
                }
            }
            return rows.get(0);
        }
    }

    /** Receives each batch once it has been read completely. */
    public interface Handler {
        void matched(List<Match> matches);

        /** A batch Ministra could not answer; throw to stop the whole read. */
        void failed(List<LocalAccount> accounts, MinistraFailure failure);
    }

    private final ProducerTemplate producer;
    private final int maxUrlBytes;
    private final int maxBatchSize;

    public BatchReads(ProducerTemplate producer, int maxUrlBytes, int maxBatchSize) {
        this.producer = producer;
        this.maxUrlBytes = maxUrlBytes;
        this.maxBatchSize = maxBatchSize;
    }

    public Session open(long companyId, String baseUrl, Mode mode, Handler handler) {
        return new Session(companyId, baseUrl, mode, handler);
    }

    /** One pass over many accounts: {@link #add} them, then {@link #finish}. Not thread-safe. */
    public final class Session {
        private final long companyId;
        private final int fixedUrlBytes;
        private final Mode mode;
        private final Handler handler;
        private final LinkedHashMap<String, List<LocalAccount>> pending = new LinkedHashMap<>();
        private int urlBytes;
        private int requests;

        private Session(long companyId, String baseUrl, Mode mode, Handler handler) {
            this.companyId = companyId;
            this.fixedUrlBytes = baseUrl.length() + "accounts/".length();
            this.mode = mode;
            this.handler = handler;
            this.urlBytes = fixedUrlBytes;
        }

        /** Queues an account (the caller checked it has an identifier of this session's mode). */
        public void add(LocalAccount account) {
            String identifier = mode == Mode.NUMBER ? account.accountNumber() : account.stbMac();
            String key = mode == Mode.NUMBER ? account.numberKey() : account.stbMac();
            List<LocalAccount> sameKey = pending.get(key);
            if (sameKey != null) {
                sameKey.add(account);
                return;
            }
            int cost = MinistraRequests.encodedIdentifier(identifier).length() + 1;
            if (!pending.isEmpty() && (urlBytes + cost > maxUrlBytes || pending.size() >= maxBatchSize)) {
                flush();
            }
            List<LocalAccount> accounts = new ArrayList<>(1);
            accounts.add(account);
            pending.put(key, accounts);
            urlBytes += cost;
        }

        public void finish() {
            if (!pending.isEmpty()) {
                flush();
            }
        }

        public int requests() {
            return requests;
        }

        private void flush() {
            Map<String, List<LocalAccount>> batch = new LinkedHashMap<>(pending);
            pending.clear();
            urlBytes = fixedUrlBytes;
            read(batch);
        }

        private void read(Map<String, List<LocalAccount>> batch) {
            List<String> identifiers = new ArrayList<>(batch.size());
            batch.values().forEach(accounts -> identifiers.add(mode == Mode.NUMBER
                    ? accounts.get(0).accountNumber() : accounts.get(0).stbMac()));
            Map<String, List<RemoteAccount>> rowsByKey = new HashMap<>();
            try {
                requests++;
                long rows = call(new MinistraRowRead(new MinistraRequest(companyId, "GET", "accounts",
                        identifiers, Map.of()), null, row -> {
                            RemoteAccount remote = RemoteAccount.of(row);
                            String key = mode == Mode.NUMBER ? RemoteAccount.collationKey(remote.accountNumber())
                                    : remote.macKey();
                            rowsByKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(remote);
                        })).rows();
                if (rows == 0) {
                    throw new MinistraFailure(Kind.GARBLED_ANSWER, "Ministra answered an empty list to "
                            + identifiers.size() + " identifier(s)", null, null);
                }
            } catch (MinistraFailure failure) {
                if (isRejection(failure, SOME_INCORRECT) && batch.size() > 1) {
                    bisect(batch);
                } else if (isRejection(failure, NOT_FOUND) && batch.size() == 1) {
                    handler.matched(matches(batch, Map.of()));
                } else {
                    List<LocalAccount> accounts = new ArrayList<>();
                    batch.values().forEach(accounts::addAll);
                    handler.failed(accounts, failure);
                }
                return;
            }
            handler.matched(matches(batch, rowsByKey));
        }

        private void bisect(Map<String, List<LocalAccount>> batch) {
            Map<String, List<LocalAccount>> first = new LinkedHashMap<>();
            Map<String, List<LocalAccount>> second = new LinkedHashMap<>();
            int half = batch.size() / 2;
            batch.forEach((key, accounts) -> (first.size() < half ? first : second).put(key, accounts));
            read(first);
            read(second);
        }

        private List<Match> matches(Map<String, List<LocalAccount>> batch, Map<String, List<RemoteAccount>> rows) {
            List<Match> matches = new ArrayList<>(batch.size());
            batch.forEach((key, accounts) -> accounts.forEach(account ->
                    matches.add(new Match(account, rows.getOrDefault(key, List.of())))));
            return matches;
        }
    }

    /** One row read through the one Ministra client; its failures come out as thrown. */
    public MinistraRowRead.Outcome call(MinistraRowRead read) {
        try {
            return producer.requestBody(ROW_READ_ROUTE, read, MinistraRowRead.Outcome.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    public static boolean isRejection(MinistraFailure failure, String ministraError) {
        return failure.kind() == Kind.REJECTED && ministraError.equals(failure.ministraError());
    }
}
