package dev.ministramanager.reconciliation;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.fleet.AccountKeys;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** A reconciliation's own tables, run and findings; the statements are in {@code sql/reconciliation-*.sql}. */
class ReconciliationStore {

    private static final String INSERT_RUN = SqlStatements.load("reconciliation-run-insert");
    private static final String FINISH_RUN = SqlStatements.load("reconciliation-run-finish");
    private static final String INSERT_FINDING = SqlStatements.load("reconciliation-finding-insert");
    private static final String KNOWN_ACCOUNT_KEYS = SqlStatements.load("reconciliation-known-account-keys");
    private static final String ENFORCEABLE_ACCOUNTS = SqlStatements.load("reconciliation-enforceable-accounts");
    private static final String ENFORCEABLE_FINDINGS = SqlStatements.load("reconciliation-enforceable-findings");
    private static final String RESOLVE_FINDING = SqlStatements.load("reconciliation-finding-resolve");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    ReconciliationStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
    }

    long insertRun(long companyId, String policy, boolean fullListing, String actor, Instant startedAt) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(INSERT_RUN, new String[] {"id"});
            insert.setLong(1, companyId);
            insert.setString(2, policy);
            insert.setBoolean(3, fullListing);
            insert.setString(4, actor);
            insert.setTimestamp(5, Timestamp.from(startedAt));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    void finishRun(ReconciliationPass pass, String status, String failure, Instant finishedAt) {
        jdbc.update(FINISH_RUN, status, Timestamp.from(finishedAt), pass.accounts, pass.drafts, pass.remoteRows,
                pass.requests, failure, pass.runId);
    }

    /** Rows of {@code reconciliation-finding-insert}'s parameters, stored in one batch and counted in the pass. */
    void insertFindings(ReconciliationPass pass, List<Object[]> findings) {
        if (!findings.isEmpty()) {
            jdbc.batchUpdate(INSERT_FINDING, findings);
            pass.findings += findings.size();
        }
    }

    /** The keys ({@link AccountKeys}) of our accounts that any of these keys names. */
    Set<String> knownAccountKeys(long companyId, AccountKeys keys) {
        Set<String> known = new HashSet<>();
        MapSqlParameterSource parameters = new MapSqlParameterSource(keys.parameters()).addValue("company", companyId);
        named.query(KNOWN_ACCOUNT_KEYS, parameters, rs -> {
            known.addAll(AccountKeys.stored(rs.getString(1), rs.getString(2), rs.getString(3)));
        });
        return known;
    }

    /** The next accounts (after {@code after}, at most {@code limit}) with findings a policy acts on. */
    List<Long> enforceableAccounts(long runId, long after, int limit) {
        return jdbc.queryForList(ENFORCEABLE_ACCOUNTS, Long.class, runId, after, limit);
    }

    /** Those accounts' findings, grouped by account in account order. */
    Map<Long, List<Map<String, Object>>> enforceableFindings(long runId, List<Long> accountIds) {
        Map<Long, List<Map<String, Object>>> byAccount = new LinkedHashMap<>();
        named.queryForList(ENFORCEABLE_FINDINGS, new MapSqlParameterSource("run", runId)
                        .addValue("accounts", accountIds))
                .forEach(f -> byAccount.computeIfAbsent(((Number) f.get("account_id")).longValue(),
                        k -> new ArrayList<>()).add(f));
        return byAccount;
    }

    void resolve(Object findingId, String resolution, String detail) {
        jdbc.update(RESOLVE_FINDING, resolution, detail, findingId);
    }
}
