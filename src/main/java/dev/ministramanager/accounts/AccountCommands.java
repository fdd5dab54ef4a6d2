package dev.ministramanager.accounts;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The IPTV accounts of each company: create, change, password, delete and push now. Every change and the intent to
 * push it to Ministra are written in one transaction: the account row gets a new version and its {@code account_push}
 * row is told to converge to it, so there is never a change without its push nor a push without its change. Several
 * quick changes coalesce, because a push always sends the account's current state. Status changes are
 * {@link AccountStatuses}; reads are {@link AccountQueries}.
 */
public class AccountCommands {

    /** The audit trail's subject of every account entry (its subject id is the login key). */
    static final String SUBJECT = "account";
    private static final String INSERT = SqlStatements.load("accounts-insert");
    private static final String INSERT_PUSH = SqlStatements.load("accounts-push-insert");
    private static final String DEFAULT_PROVISION_STATUS = SqlStatements.load("accounts-default-provision-status");
    private static final String DELETE_DRAFT = SqlStatements.load("accounts-delete-draft");
    private static final String TOMBSTONE = SqlStatements.load("accounts-tombstone");
    private static final String RESOLVE_DEAD_LETTER = SqlStatements.load("accounts-dead-letter-resolve");
    private static final String PUSH_NOW = SqlStatements.load("accounts-push-now");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final StoredAccounts stored;
    private final AccountUpdates updates;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final Clock clock;
    /** On PostgreSQL the account, its push row and its read back are one statement; else null (three). */
    private final String insertWithPush;

    AccountCommands(DataSource dataSource, SqlDialect dialect, StoredAccounts stored, AccountUpdates updates,
                    SecretCipher cipher, AuditTrail audit, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.stored = stored;
        this.updates = updates;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.insertWithPush = dialect == SqlDialect.POSTGRESQL
                ? SqlStatements.load("accounts-insert-with-push", dialect) : null;
    }

    /**
     * Stores a new account and queues its push, or (a draft) stores it without a push.
     *
     * @param status    the status to create it with (the request's, or the provision default)
     * @param password  the subscriber password: the request's, or one generated for it ({@code generated})
     */
    public ApiReply create(long companyId, NewAccount request, String status, String password, boolean generated,
                           String actor) {
        String accountNumber = Objects.requireNonNullElse(request.accountNumber(), request.login());
        String mac = AccountRules.emptyToNull(request.stbMac()) == null ? null
                : AccountRules.canonicalMac(request.stbMac());
        OffsetDateTime expiresAt = AccountRules.emptyToNull(request.expiresAt()) == null ? null
                : AccountRules.expiry(request.expiresAt());
        try {
            StoredAccount created = transaction.execute(tx -> {
                StoredAccount account = insertWithPush(companyId, request, status, cipher.encrypt(password),
                        accountNumber, mac, expiresAt, now());
                if (request.tariff() != null && account.tariffPlanId() == null) {
                    throw AccountUpdates.unknownPlan(companyId, request.tariff());
                }
                AccountPackages.requireOptional(jdbc, companyId, account.tariffPlanId(), request.tariff(),
                        request.packages());
                Map<String, Object> details = new LinkedHashMap<>(account.auditedFields());
                details.values().removeIf(Objects::isNull);
                details.put("password", AuditTrail.MASK);
                if (generated) {
                    details.put("passwordGenerated", true);
                }
                if (request.isDraft()) {
                    details.put("draft", true);
                }
                audit.record(actor, companyId, SUBJECT, AccountRules.key(request.login()), "create", "ok", details);
                return account;
            });
            return created.answer(201).withLocation("/api/v1/accounts/" + created.login() + "?company=" + companyId);
        } catch (DuplicateKeyException e) {
            throw duplicate(e, request.login(), accountNumber, mac);
        }
    }

    /** Writes a new account at version 1 and its push row ('draft' or 'pending', due now); answers it as stored. */
    private StoredAccount insertWithPush(long companyId, NewAccount request, String status, String passwordEnc,
                                         String accountNumber, String mac, OffsetDateTime expiresAt,
                                         OffsetDateTime now) {
        String pushState = request.isDraft() ? "draft" : "pending";
        Object[] account = {companyId, request.login(), AccountRules.key(request.login()), passwordEnc, 1L,
            AccountRules.emptyToNull(request.fullName()), AccountRules.emptyToNull(request.phone()), accountNumber,
            AccountRules.key(accountNumber), companyId, request.tariff(), status, mac,
            AccountRules.emptyToNull(request.comment()), expiresAt, AccountRules.emptyToNull(request.customerRef()),
            AccountPackages.encode(request.packages()), now, now};
        if (insertWithPush != null) {
            Object[] arguments = Arrays.copyOf(account, account.length + 2);
            arguments[account.length] = pushState;
            arguments[account.length + 1] = now;
            return jdbc.query(insertWithPush, (rs, i) -> StoredAccount.read(rs, now), arguments).get(0);
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"});
            for (int i = 0; i < account.length; i++) {
                insert.setObject(i + 1, account[i]);
            }
            return insert;
        }, key);
        long id = key.getKey().longValue();
        jdbc.update(INSERT_PUSH, id, companyId, pushState, now);
        return stored.byId(id);
    }

    public ApiReply change(long companyId, String login, AccountChanges changes, String ifMatch, String actor) {
        try {
            List<String> dropped = new ArrayList<>();
            StoredAccount changed = transaction.execute(tx -> {
                StoredAccount before = stored.lock(companyId, login);
                before.requireMatch(ifMatch);
                StoredAccount after = updates.apply(before, changes, actor, "change");
                if (changes.packages() == null && before.packages() != null) {
                    dropped.addAll(before.packages());
                    dropped.removeAll(after.packages());
                }
                return after;
            });
            if (dropped.isEmpty()) {
                return changed.answer(200);
            }
            // the tariff change dropped subscribed packages: the caller must hear it, not just find them gone
            Map<String, Object> body = new LinkedHashMap<>(changed.view());
            body.put("droppedPackages", dropped);
            return ApiReply.of(200, body).withEtag(changed.etag());
        } catch (DuplicateKeyException e) {
            throw duplicate(e, login, changes.accountNumber(), AccountRules.emptyToNull(changes.stbMac()) == null
                    ? null : AccountRules.canonicalMac(changes.stbMac()));
        }
    }

    /** Sets a new subscriber password; the push sends it to Ministra (only a changed password is ever sent). */
    public ApiReply setPassword(long companyId, String login, String password, boolean generated, String actor) {
        StoredAccount changed = transaction.execute(tx -> updates.apply(stored.lock(companyId, login),
                AccountChanges.password(password), actor, "password",
                generated ? Map.of("passwordGenerated", true) : Map.of()));
        return changed.answer(200);
    }

    /** The status a quick provision gives an account whose request names none. */
    public String defaultProvisionStatus(long companyId) {
        return jdbc.queryForList(DEFAULT_PROVISION_STATUS, String.class, companyId).stream().findFirst()
                .orElse("active");
    }

    /** Marks the account deleted (a tombstone the API no longer shows) and asks the push to remove it from Ministra. */
    public ApiReply delete(long companyId, String login, String ifMatch, String actor) {
        Map<String, Object> draft = new LinkedHashMap<>();
        StoredAccount deleted = transaction.execute(tx -> {
            StoredAccount before = stored.lock(companyId, login);
            before.requireMatch(ifMatch);
            Map<String, Object> details = new LinkedHashMap<>(before.auditedFields());
            details.values().removeIf(Objects::isNull);
            if (before.isDraft()) {
                // Ministra never had a draft: nothing to push, the row goes now
                jdbc.update(DELETE_DRAFT, before.id());
                details.put("draft", true);
                audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "delete", "ok", details);
                draft.put("companyId", companyId);
                draft.put("login", before.login());
                draft.put("deleted", true);
                draft.put("draft", true);
                return null;
            }
            OffsetDateTime now = now();
            jdbc.update(TOMBSTONE, now, now, before.id());
            updates.requestPush(before.id(), before.version() + 1, now);
            audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "delete", "ok", details);
            return stored.byId(before.id());
        });
        if (deleted == null) {
            return ApiReply.of(200, draft);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("companyId", companyId);
        body.put("login", deleted.login());
        body.put("deleted", true);
        body.put("sync", deleted.sync().view());
        return ApiReply.of(202, body);
    }

    /** Pushes now: clears a retry schedule, or resolves an open dead letter as replayed and pushes again. */
    public ApiReply forcePush(long companyId, String login, String actor) {
        StoredAccount pushed = transaction.execute(tx -> {
            StoredAccount account = stored.lock(companyId, login);
            Long deadLetterId = account.sync().deadLetterId();
            if (deadLetterId != null) {
                jdbc.update(RESOLVE_DEAD_LETTER, "replayed", now(), actor, deadLetterId);
            }
            jdbc.update(PUSH_NOW, now(), account.id());
            Map<String, Object> details = new LinkedHashMap<>();
            if (deadLetterId != null) {
                details.put("deadLetterId", deadLetterId);
            }
            if (account.isDraft()) {
                details.put("draft", true);
            }
            audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "push-requested", "ok", details);
            return stored.byId(account.id());
        });
        return pushed.answer(202);
    }

    private static ProblemException duplicate(DuplicateKeyException e, String login, String accountNumber,
                                              String mac) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("account_number_unique")) {
            return ProblemException.conflict("accountNumber", "Account number '" + accountNumber + "' is in use by"
                    + " another account of this company.");
        }
        if (message.contains("account_mac_unique")) {
            return ProblemException.conflict("stbMac", "MAC " + mac + " is bound to another account of this company.");
        }
        return ProblemException.conflict("login", "An account with login '" + login + "' exists in this company (or"
                + " is still being deleted from Ministra).");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
