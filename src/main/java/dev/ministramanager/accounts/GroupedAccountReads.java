package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.ministramanager.accounts.StoredAccounts.AccountRow;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reads of single accounts by login ({@code GET /accounts/{login}}), grouped: with fewer than the most statements
 * of theirs in flight (one, as the service runs it) a read goes at once, as one statement
 * ({@code sql/accounts-by-login.sql}); reads that arrive while that many are in flight wait, and go together as one
 * statement ({@code sql/accounts-by-logins.sql}) as soon as one returns. Every read's statement starts after the read
 * arrived, so no read sees less than a read of its own would: a write answered
 * before the read was asked is in its answer, on any node. Under load this makes one round trip for many reads
 * instead of one each.
 * <p>
 * A waiting read holds its thread (a Vert.x worker, as any blocking route step; never an event loop), and the read
 * first in a group runs the group's statement on its thread. Only for reads outside any transaction: a statement
 * run for a group is on the connection of the thread that runs it.
 */
final class GroupedAccountReads {

    /** The most reads in one statement; any more wait for the next one. */
    static final int MOST_PER_STATEMENT = 64;

    private static final String ONE = SqlStatements.load("accounts-by-login");
    private static final String GROUP = SqlStatements.load("accounts-by-logins");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Object turns = new Object();
    private final int mostInFlight;
    /** Guarded by {@link #turns}: how many statements are in flight, and the reads that arrived meanwhile. */
    private int statementsInFlight;
    private final ArrayDeque<Read<?>> arrived = new ArrayDeque<>();

    GroupedAccountReads(DataSource dataSource, Clock clock, int mostInFlight) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.mostInFlight = mostInFlight;
    }

    /** The account (not deleted) as {@code reading} makes it of its row, or empty: at once or with others. */
    <T> Optional<T> find(long companyId, String login, AccountRow<T> reading) {
        Read<T> mine = new Read<>(companyId, AccountRules.key(login), reading,
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        List<Read<?>> group = null;
        synchronized (turns) {
            if (statementsInFlight >= mostInFlight) {
                arrived.add(mine);
            } else {
                statementsInFlight++;
                group = List.of(mine);
            }
        }
        if (group == null) {
            group = mine.turn.join();
        }
        if (group != null) {
            run(group);
        }
        return mine.answer();
    }

    /** Runs one statement for the group, hands the turn on as soon as it returns, then answers each read. */
    private void run(List<Read<?>> group) {
        boolean[] handedOver = {false};
        try {
            if (group.size() == 1) {
                Read<?> only = group.get(0);
                jdbc.query(ONE, rs -> {
                    handOver(handedOver);
                    if (rs.next()) {
                        only.found(rs);
                    }
                    return null;
                }, only.companyId, only.loginKey);
            } else {
                Long[] companies = new Long[group.size()];
                String[] keys = new String[group.size()];
                for (int i = 0; i < group.size(); i++) {
                    companies[i] = group.get(i).companyId;
                    keys[i] = group.get(i).loginKey;
                }
                jdbc.query(GROUP, rs -> {
                    handOver(handedOver);
                    while (rs.next()) {
                        long company = rs.getLong("company_id");
                        String key = rs.getString("login_key");
                        for (Read<?> read : group) {
                            if (read.companyId == company && read.loginKey.equals(key)) {
                                read.found(rs);
                            }
                        }
                    }
                    return null;
                }, companies, keys);
            }
            group.forEach(Read::answered);
        } catch (RuntimeException | Error failure) {
            handOver(handedOver);
            group.forEach(read -> read.failed(failure));
        }
    }

    /** How many reads wait for the statement in flight to return. */
    int waiting() {
        synchronized (turns) {
            return arrived.size();
        }
    }

    /** The next group's first read runs its statement; with none waiting, the next read goes at once. */
    private void handOver(boolean[] handedOver) {
        if (handedOver[0]) {
            return;
        }
        handedOver[0] = true;
        List<Read<?>> next;
        synchronized (turns) {
            if (arrived.isEmpty()) {
                statementsInFlight--;
                return;
            }
            next = new ArrayList<>(Math.min(arrived.size(), MOST_PER_STATEMENT));
            while (!arrived.isEmpty() && next.size() < MOST_PER_STATEMENT) {
                next.add(arrived.poll());
            }
        }
        next.get(0).turn.complete(next);
    }

    /** One read: what it asks, and its answer once its group's statement returned. */
    private static final class Read<T> {

        final long companyId;
        final String loginKey;
        private final AccountRow<T> reading;
        private final OffsetDateTime now;
        /** Completed with the group this read runs, or with null once it is answered. */
        final CompletableFuture<List<Read<?>>> turn = new CompletableFuture<>();
        // written before turn completes, read after: the future's completion orders them
        private T row;
        private boolean found;
        private Throwable failure;

        Read(long companyId, String loginKey, AccountRow<T> reading, OffsetDateTime now) {
            this.companyId = companyId;
            this.loginKey = loginKey;
            this.reading = reading;
            this.now = now;
        }

        void found(ResultSet rs) throws SQLException {
            if (found) {
                return;
            }
            try {
                row = reading.read(rs, now);
                found = true;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void answered() {
            turn.complete(null);
        }

        void failed(Throwable cause) {
            failure = Objects.requireNonNullElse(failure, cause);
            turn.complete(null);
        }

        Optional<T> answer() {
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return found ? Optional.of(row) : Optional.empty();
        }
    }
}
