package dev.ministramanager.fleet;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads our accounts for status and reconciliation: one by login, or a company's all in pages (bounded memory). */
public class LocalAccounts {

    private static final String BY_LOGIN = SqlStatements.load("fleet-local-account-by-login");
    private static final String PAGE = SqlStatements.load("fleet-local-accounts-page");

    private final JdbcTemplate jdbc;
    private final int pageSize;

    public LocalAccounts(DataSource dataSource, int pageSize) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.pageSize = pageSize;
    }

    /** Logins are compared as Ministra compares them: case-insensitively. */
    public Optional<LocalAccount> byLogin(long companyId, String login) {
        return jdbc.query(BY_LOGIN, (rs, i) -> LocalAccount.of(rs), companyId, login.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** Every account of the company, page by page in id order; a page is handed over before the next is read. */
    public void forEachPage(long companyId, Consumer<List<LocalAccount>> page) {
        long after = 0;
        while (true) {
            List<LocalAccount> accounts = jdbc.query(PAGE, (rs, i) -> LocalAccount.of(rs), companyId, after,
                    pageSize);
            if (accounts.isEmpty()) {
                return;
            }
            page.accept(accounts);
            after = accounts.get(accounts.size() - 1).id();
        }
    }
}
