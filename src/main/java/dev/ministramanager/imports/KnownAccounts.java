package dev.ministramanager.imports;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Our accounts of a company that hold any of a chunk's logins, account numbers or MACs, deleted ones included (they
 * keep their keys until purged): one statement of three lookups, each an array of keys compared with {@code = ANY}
 * through its unique index.
 *
 * <p>On PostgreSQL the statement runs with bitmap scans switched off, in a transaction of its own. The console's
 * trigram indexes on login and MAC (V151) also answer equality, and the planner costs a trigram lookup of a whole
 * array as cheap: measured on a growing import, each chunk's lookup then took 4 to 7 seconds at 10,000 accounts,
 * against 1 ms through the unique indexes. A GIN index is only usable through a bitmap scan; without bitmap scans the
 * unique btree indexes remain, and they look up an array of keys natively.
 */
final class KnownAccounts {

    private static final String KNOWN_ACCOUNTS = SqlStatements.load("imports-known-accounts");

    /** One of our accounts, as the imports compare it. */
    record Known(String login, String loginKey, String numberKey, String stbMac, String status, String tariff,
                 String fullName, String phone, OffsetDateTime expiresAt, boolean deleted) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    /** The statement that keeps the trigram indexes out of the plan; none where there are none (H2). */
    private final String planSetting;

    KnownAccounts(DataSource dataSource, SqlDialect dialect) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // SET LOCAL lasts until the transaction ends: never the caller's transaction
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.planSetting = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("imports-known-accounts-plan", dialect) : null;
    }

    /** The accounts holding any of the keys (lower-case logins and account numbers, canonical MACs). */
    List<Known> find(long companyId, Set<String> loginKeys, Set<String> numberKeys, Set<String> macs) {
        if (loginKeys.isEmpty() && numberKeys.isEmpty() && macs.isEmpty()) {
            return List.of();
        }
        return transaction.execute(tx -> {
            if (planSetting != null) {
                jdbc.execute(planSetting);
            }
            List<Known> known = new ArrayList<>();
            jdbc.query(KNOWN_ACCOUNTS, rs -> {
                known.add(new Known(rs.getString("login"), rs.getString("login_key"),
                        rs.getString("account_number_key"), rs.getString("stb_mac"), rs.getString("status"),
                        rs.getString("tariff"), rs.getString("full_name"), rs.getString("phone"),
                        rs.getObject("expires_at", OffsetDateTime.class), rs.getObject("deleted_at") != null));
            }, companyId, array(loginKeys), companyId, array(numberKeys), companyId, array(macs));
            return known;
        });
    }

    private static String[] array(Set<String> keys) {
        return keys.toArray(String[]::new);
    }
}
