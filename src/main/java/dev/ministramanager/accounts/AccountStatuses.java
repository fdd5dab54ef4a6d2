package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Activating and deactivating: one account, or every account of one billing customer. Each is a change like any
 * other ({@link AccountUpdates}: one version, one push, one audit entry), and activation is also how a draft goes
 * live: its push becomes due.
 */
public class AccountStatuses {

    private static final String LOCK_BY_CUSTOMER = SqlStatements.load("accounts-lock-by-customer");
    private static final String ACTIVATE_DRAFT = SqlStatements.load("accounts-push-activate-draft");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final StoredAccounts stored;
    private final AccountUpdates updates;
    private final AuditTrail audit;
    private final Clock clock;

    AccountStatuses(DataSource dataSource, StoredAccounts stored, AccountUpdates updates, AuditTrail audit,
                    Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.stored = stored;
        this.updates = updates;
        this.audit = audit;
        this.clock = clock;
    }

    public ApiReply setStatus(long companyId, String login, String status, String ifMatch, String actor) {
        StoredAccount changed = transaction.execute(tx -> {
            StoredAccount before = stored.lock(companyId, login);
            before.requireMatch(ifMatch);
            return statusChange(before, status, actor, Map.of());
        });
        return changed.answer(200);
    }

    /**
     * Activates or deactivates every account of one billing customer, each exactly as its own activate or deactivate
     * would (one change, one push, one audit entry per account; an account already so gets an "unchanged" entry).
     */
    public Map<String, Object> setCustomerStatus(long companyId, String customerRef, String status, String actor) {
        List<Map<String, Object>> results = transaction.execute(tx -> {
            List<String> logins = jdbc.queryForList(LOCK_BY_CUSTOMER, String.class, companyId, customerRef);
            if (logins.isEmpty()) {
                throw ProblemException.notFound("Customer '" + customerRef + "' has no accounts in company "
                        + companyId + ".");
            }
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (String login : logins) {
                StoredAccount before = stored.find(companyId, login);
                StoredAccount after = statusChange(before, status, actor, Map.of("customerRef", customerRef));
                boolean changed = after.version() != before.version() || before.isDraft() != after.isDraft();
                if (!changed) {
                    audit.record(actor, companyId, AccountCommands.SUBJECT, AccountRules.key(login), action(status),
                            "unchanged", Map.of("customerRef", customerRef, "status", status));
                }
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("login", after.login());
                outcome.put("outcome", changed ? "changed" : "unchanged");
                outcome.put("status", after.status());
                outcome.put("version", after.version());
                outcome.put("sync", after.sync().view());
                outcomes.add(outcome);
            }
            return outcomes;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("companyId", companyId);
        answer.put("customerRef", customerRef);
        answer.put("status", status);
        answer.put("changed", results.stream().filter(r -> r.get("outcome").equals("changed")).count());
        answer.put("unchanged", results.stream().filter(r -> r.get("outcome").equals("unchanged")).count());
        answer.put("accounts", results);
        return answer;
    }

    /** Activation also pushes a draft: activating is how a prepared account goes live. */
    private StoredAccount statusChange(StoredAccount before, String status, String actor,
                                       Map<String, Object> context) {
        StoredAccount after = updates.apply(before, AccountChanges.status(status), actor, action(status), context);
        if (status.equals("active") && after.isDraft()) {
            jdbc.update(ACTIVATE_DRAFT, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), after.id());
            audit.record(actor, after.companyId(), AccountCommands.SUBJECT, AccountRules.key(after.login()),
                    "push-requested", "ok", Map.of("draft", true));
            return stored.byId(after.id());
        }
        return after;
    }

    private static String action(String status) {
        return status.equals("active") ? "activate" : "deactivate";
    }
}
