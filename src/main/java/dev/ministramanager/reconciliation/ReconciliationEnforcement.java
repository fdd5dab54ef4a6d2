package dev.ministramanager.reconciliation;

import java.time.OffsetDateTime;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the {@code enforce} policy hands a drifted (or missing) account to the accounts push pipeline: the account's
 * push becomes due now, to converge Ministra to our current state (a missing account is created again, a drifted
 * one updated field by field). An account with an open dead letter is left to the operator, who replays it; a draft
 * is never pushed by reconciliation (only its own push or activation sends it).
 */
public class ReconciliationEnforcement {

    static final String REQUESTED = "push requested: Ministra converges to our state";
    static final String LEFT_DEAD = "not pushed: the account has an open dead letter; replay it";
    static final String LEFT_DRAFT = "not pushed: the account is a draft; push or activate it";

    private final JdbcTemplate jdbc;
    private final AuditTrail audit;

    public ReconciliationEnforcement(DataSource dataSource, AuditTrail audit) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.audit = audit;
    }

    /** Asks for our state of the account to be pushed; answers the finding's resolution detail. */
    public String requestPush(long companyId, long accountId, String login, String reason, long runId, String actor) {
        OffsetDateTime now = OffsetDateTime.now();
        int due = jdbc.update("UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?,"
                + " requested_version = (SELECT version FROM account WHERE id = ?) WHERE account_id = ?"
                + " AND state NOT IN ('dead', 'draft')", now, accountId, accountId);
        if (due == 0) {
            due = jdbc.update("INSERT INTO account_push (account_id, company_id, state, requested_version, attempts,"
                    + " next_attempt_at) SELECT id, company_id, 'pending', version, 0, ? FROM account WHERE id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM account_push WHERE account_id = ?)", now, accountId, accountId);
        }
        String detail = due == 1 ? REQUESTED : isDraft(accountId) ? LEFT_DRAFT : LEFT_DEAD;
        audit.record(actor, companyId, AuditTrail.ACCOUNT, AuditTrail.accountSubjectId(login), "enforce",
                due == 1 ? "push-requested" : detail.equals(LEFT_DRAFT) ? "left-draft" : "left-dead",
                Map.of("reason", reason, "reconciliationRun", runId, "detail", detail));
        return detail;
    }

    private boolean isDraft(long accountId) {
        return !jdbc.queryForList("SELECT 1 FROM account_push WHERE account_id = ? AND state = 'draft'", Integer.class,
                accountId).isEmpty();
    }
}
