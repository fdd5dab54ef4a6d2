package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads one account ({@link StoredAccount}) by login or by id, for the commands and the queries. */
final class StoredAccounts {

    private static final String BY_LOGIN = SqlStatements.load("accounts-by-login");
    private static final String BY_ID = SqlStatements.load("accounts-by-id");
    private static final String LOCK_BY_LOGIN = SqlStatements.load("accounts-lock-by-login");

    private final JdbcTemplate jdbc;
    private final Clock clock;

    StoredAccounts(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** The account (not deleted), or 404. */
    StoredAccount find(long companyId, String login) {
        return find(companyId, login, StoredAccount::read);
    }

    /**
     * The account (not deleted) as {@code reading} makes it of its row of {@code sql/accounts-by-login.sql} (the
     * account, its push state and Ministra's snapshot of it), or 404.
     */
    <T> T find(long companyId, String login, AccountRow<T> reading) {
        OffsetDateTime now = now();
        return jdbc.query(BY_LOGIN, (rs, i) -> reading.read(rs, now), companyId, AccountRules.key(login))
                .stream().findFirst().orElseThrow(() -> notFound(login));
    }

    /** Makes something of an account's row, read at {@code now}. */
    @FunctionalInterface
    interface AccountRow<T> {
        T read(ResultSet rs, OffsetDateTime now) throws SQLException;
    }

    /**
     * The account (not deleted), its row locked first so that concurrent writers of one account take turns; or 404.
     * Read by the locked row's id: a change needs neither a second lookup by login nor Ministra's snapshot.
     */
    StoredAccount lock(long companyId, String login) {
        List<Long> locked = jdbc.queryForList(LOCK_BY_LOGIN, Long.class, companyId, AccountRules.key(login));
        if (locked.isEmpty()) {
            throw notFound(login);
        }
        return byId(locked.get(0));
    }

    /** The account as it stands now, also a deleted one (after a change, by the id its change had). */
    StoredAccount byId(long id) {
        OffsetDateTime now = now();
        return jdbc.query(BY_ID, (rs, i) -> StoredAccount.read(rs, now), id).get(0);
    }

    static ProblemException notFound(String login) {
        return ProblemException.notFound("Account '" + login + "' not found.");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
