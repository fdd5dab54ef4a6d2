package dev.ministramanager.reconciliation;

import java.time.OffsetDateTime;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the {@code enforce} policy hands a drifted (or missing) account to the accounts push pipeline: the account's
 * push becomes due now, to converge Ministra to our current state (a missing account is created again, a drifted
 * one updated field by field). An account with an open dead letter is left to the operator, who replays it; a draft
 * is never pushed by reconciliation (only its own push or activation sends it).
 */
public class ReconciliationEnforcement {

    private static final String REQUEUE_PUSH = SqlStatements.load("reconciliation-enforce-requeue-push");
    private static final String INSERT_PUSH = SqlStatements.load("reconciliation-enforce-insert-push");
    private static final String DRAFT = SqlStatements.load("reconciliation-enforce-draft");

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
        int due = jdbc.update(REQUEUE_PUSH, now, accountId, accountId);
        if (due == 0) {
            due = jdbc.update(INSERT_PUSH, now, accountId, accountId);
        }
        String detail = due == 1 ? REQUESTED : isDraft(accountId) ? LEFT_DRAFT : LEFT_DEAD;
        audit.record(actor, companyId, AuditTrail.ACCOUNT, AuditTrail.accountSubjectId(login), "enforce",
                due == 1 ? "push-requested" : detail.equals(LEFT_DRAFT) ? "left-draft" : "left-dead",
                Map.of("reason", reason, "reconciliationRun", runId, "detail", detail));
        return detail;
    }

    private boolean isDraft(long accountId) {
        return !jdbc.queryForList(DRAFT, Integer.class,
                accountId).isEmpty();
    }
}
