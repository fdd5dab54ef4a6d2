package dev.ministramanager.accounts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Writes one change of an account, inside its command's transaction and after its row was locked: compares the
 * request with the stored account, updates the columns that differ and the version, tells the push to converge to
 * that version (unless only fields Ministra does not have changed), and audits each field's before and after.
 */
final class AccountUpdates {

    private static final String UPDATE = SqlStatements.load("accounts-update");
    private static final String REQUEST_PUSH = SqlStatements.load("accounts-push-request");
    private static final String ACTIVE_PLAN = SqlStatements.load("accounts-active-plan");
    /** The columns a change writes, each only when flagged {@code set_<column>} (see accounts-update). */
    private static final List<String> COLUMNS = List.of("full_name", "phone", "account_number", "account_number_key",
            "tariff_plan_id", "packages", "status", "stb_mac", "comment", "customer_ref", "expires_at");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final StoredAccounts stored;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final Clock clock;
    /** Changes of these fields (API names) are ours alone: they change the account's version but push nothing. */
    private final Set<String> notInMinistra;

    /** @param expiryInMinistra whether expiresAt is sent to Ministra (mm.accounts.send-expiry) */
    AccountUpdates(DataSource dataSource, StoredAccounts stored, SecretCipher cipher, AuditTrail audit, Clock clock,
                   boolean expiryInMinistra) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.stored = stored;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.notInMinistra = expiryInMinistra ? Set.of("customerRef") : Set.of("customerRef", "expiresAt");
    }

    StoredAccount apply(StoredAccount before, AccountChanges changes, String actor, String action) {
        return apply(before, changes, actor, action, Map.of());
    }

    /**
     * @param context what the audit entry tells besides the change (e.g. the customer of a customer-wide change)
     * @return the account after the change (the one given when nothing differs)
     */
    StoredAccount apply(StoredAccount before, AccountChanges changes, String actor, String action,
                        Map<String, Object> context) {
        Map<String, Object> set = new LinkedHashMap<>();
        Map<String, Object> changed = new LinkedHashMap<>();
        compareText(set, changed, "full_name", "fullName", before.fullName(), changes.fullName());
        compareText(set, changed, "phone", "phone", before.phone(), changes.phone());
        if (changes.accountNumber() != null && !changes.accountNumber().equals(before.accountNumber())) {
            set.put("account_number", changes.accountNumber());
            set.put("account_number_key", AccountRules.key(changes.accountNumber()));
            changed.put("accountNumber", beforeAfter(before.accountNumber(), changes.accountNumber()));
        }
        Long planId = before.tariffPlanId();
        if (changes.tariff() != null && !changes.tariff().equals(before.tariff())) {
            planId = activePlan(before.companyId(), changes.tariff());
            set.put("tariff_plan_id", planId);
            changed.put("tariff", beforeAfter(before.tariff(), changes.tariff()));
        }
        packages(set, changed, before, planId, changes);
        compare(set, changed, "status", "status", before.status(), changes.status(), changes.status());
        String mac = AccountRules.emptyToNull(changes.stbMac()) == null ? null
                : AccountRules.canonicalMac(changes.stbMac());
        compare(set, changed, "stb_mac", "stbMac", before.stbMac(), mac, changes.stbMac());
        compareText(set, changed, "comment", "comment", before.comment(), changes.comment());
        compareText(set, changed, "customer_ref", "customerRef", before.customerRef(), changes.customerRef());
        if (changes.expiresAt() != null) {
            OffsetDateTime expiresAt = changes.expiresAt().isEmpty() ? null : AccountRules.expiry(changes.expiresAt());
            boolean same = expiresAt == null ? before.expiresAt() == null
                    : before.expiresAt() != null && expiresAt.isEqual(before.expiresAt());
            if (!same) {
                set.put("expires_at", expiresAt);
                changed.put("expiresAt", beforeAfter(before.expiresAt() == null ? null
                        : before.expiresAt().toInstant().toString(), expiresAt == null ? null
                        : expiresAt.toInstant().toString()));
            }
        }
        if (changes.password() != null) {
            changed.put("password", beforeAfter(AuditTrail.MASK, AuditTrail.MASK));
        }
        if (changed.isEmpty()) {
            return before;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        MapSqlParameterSource update = new MapSqlParameterSource("id", before.id()).addValue("updated_at", now)
                .addValue("set_password", changes.password() != null)
                .addValue("password_enc", changes.password() == null ? null : cipher.encrypt(changes.password()));
        for (String column : COLUMNS) {
            update.addValue("set_" + column, set.containsKey(column)).addValue(column, set.get(column));
        }
        named.update(UPDATE, update);
        if (!notInMinistra.containsAll(changed.keySet())) {
            requestPush(before.id(), before.version() + 1, now);
        }
        changed.putAll(context);
        audit.record(actor, before.companyId(), AccountCommands.SUBJECT, AccountRules.key(before.login()), action,
                "ok", changed);
        return stored.byId(before.id());
    }

    /**
     * Tells the push to converge to this version. A synced (or discarded) account becomes pending now; a retrying
     * one keeps its schedule and a dead one stays dead until an operator replays it: either way the push that
     * follows sends the current state.
     */
    void requestPush(long accountId, long version, OffsetDateTime now) {
        jdbc.update(REQUEST_PUSH, version, now, accountId);
    }

    /** The id of the company's active plan of this external id; 422 when there is none. */
    long activePlan(long companyId, String tariff) {
        return jdbc.queryForList(ACTIVE_PLAN, Long.class, companyId, tariff).stream().findFirst()
                .orElseThrow(() -> unknownPlan(companyId, tariff));
    }

    static ProblemException unknownPlan(long companyId, String tariff) {
        return ProblemException.unprocessable("tariff", "Tariff '" + tariff + "' is not an active tariff plan of"
                + " company " + companyId + ".");
    }

    /**
     * The packages after a change: the requested list (each an optional package of the plan the account will be
     * on), or, when the tariff changed without a new list, the subscribed packages the new plan still offers; the
     * others are dropped, and the audit entry names them.
     */
    private void packages(Map<String, Object> set, Map<String, Object> changed, StoredAccount before, Long planId,
                          AccountChanges changes) {
        List<String> after;
        if (changes.packages() != null) {
            AccountPackages.requireOptional(jdbc, before.companyId(), planId, changes.tariff(), changes.packages());
            after = changes.packages();
        } else if (!Objects.equals(planId, before.tariffPlanId())) {
            List<String> dropped = AccountPackages.droppedBy(jdbc, planId, before.packages());
            if (dropped.isEmpty()) {
                return;
            }
            after = new ArrayList<>(before.packages());
            after.removeAll(dropped);
            changed.put("droppedPackages", dropped);
        } else {
            return;
        }
        String packages = AccountPackages.encode(after);
        if (!packages.equals(AccountPackages.encode(before.packages()))) {
            set.put("packages", packages);
            changed.put("packages", beforeAfter(before.packages(), AccountPackages.decode(packages)));
        }
    }

    private static void compare(Map<String, Object> set, Map<String, Object> changed, String column, String field,
                                String before, String after, String requested) {
        if (requested != null && !Objects.equals(before, after)) {
            set.put(column, after);
            changed.put(field, beforeAfter(before, after));
        }
    }

    /** A text field that an empty value clears. */
    private static void compareText(Map<String, Object> set, Map<String, Object> changed, String column, String field,
                                    String before, String requested) {
        compare(set, changed, column, field, before, AccountRules.emptyToNull(requested), requested);
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

}
