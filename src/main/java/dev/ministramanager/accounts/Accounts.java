package dev.ministramanager.accounts;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.persistence.SqlDialect;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.SecretCipher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The IPTV accounts of each company. Every change and the intent to push it to Ministra are written in one
 * transaction: the account row gets a new version and its {@code account_push} row is told to converge to it, so
 * there is never a change without its push nor a push without its change. Several quick changes coalesce, because
 * a push always sends the account's current state.
 */
public class Accounts {

    static final String SUBJECT = "account";
    private static final String BY_LOGIN = SqlStatements.load("accounts-by-login");
    private static final String BY_ID = SqlStatements.load("accounts-by-id");
    private static final String LOCK_BY_LOGIN = SqlStatements.load("accounts-lock-by-login");
    private static final String LIST = SqlStatements.load("accounts-list");
    private static final String ONLINE_STATE = SqlStatements.load("accounts-online-state");
    private static final int PAGE_DEFAULT = 50;
    private static final int PAGE_MAX = 500;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;
    /** PostgreSQL's statement that plans the list for its parameters (null on H2, which has no plan cache). */
    private final String listPlan;
    /** Changes of these fields (API names) are ours alone: they change the account's version but push nothing. */
    private final Set<String> notInMinistra;

    /** @param expiryInMinistra whether expiresAt is sent to Ministra (mm.accounts.send-expiry) */
    public Accounts(DataSource dataSource, SqlDialect dialect, SecretCipher cipher, AuditTrail audit,
                    ObjectMapper json, Clock clock, boolean expiryInMinistra) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.listPlan = dialect == SqlDialect.POSTGRESQL ? SqlStatements.load("accounts-list-plan", dialect) : null;
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cipher = cipher;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.notInMinistra = expiryInMinistra ? Set.of("customerRef") : Set.of("customerRef", "expiresAt");
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
        String mac = emptyToNull(request.stbMac()) == null ? null : AccountRules.canonicalMac(request.stbMac());
        OffsetDateTime expiresAt = emptyToNull(request.expiresAt()) == null ? null
                : AccountRules.expiry(request.expiresAt());
        try {
            StoredAccount created = transaction.execute(tx -> {
                OffsetDateTime now = now();
                KeyHolder key = new GeneratedKeyHolder();
                jdbc.update(connection -> {
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO account (company_id, login,"
                            + " login_key, password_enc, password_version, full_name, phone, account_number,"
                            + " account_number_key, tariff_plan_id, status, stb_mac, comment, expires_at,"
                            + " customer_ref, packages, version, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM tariff_plan WHERE company_id = ?"
                            + " AND external_id = ? AND archived_at IS NULL), ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                            new String[] {"id"});
                    insert.setLong(1, companyId);
                    insert.setString(2, request.login());
                    insert.setString(3, AccountRules.key(request.login()));
                    insert.setString(4, cipher.encrypt(password));
                    insert.setLong(5, 1);
                    insert.setString(6, emptyToNull(request.fullName()));
                    insert.setString(7, emptyToNull(request.phone()));
                    insert.setString(8, accountNumber);
                    insert.setString(9, AccountRules.key(accountNumber));
                    // the plan is looked up in the insert itself; an unknown one is refused below, before commit
                    insert.setLong(10, companyId);
                    insert.setString(11, request.tariff());
                    insert.setString(12, status);
                    insert.setString(13, mac);
                    insert.setString(14, emptyToNull(request.comment()));
                    insert.setObject(15, expiresAt);
                    insert.setString(16, emptyToNull(request.customerRef()));
                    insert.setString(17, AccountPackages.encode(request.packages()));
                    insert.setObject(18, now);
                    insert.setObject(19, now);
                    return insert;
                }, key);
                long id = key.getKey().longValue();
                jdbc.update("INSERT INTO account_push (account_id, company_id, state, requested_version, attempts,"
                        + " next_attempt_at) VALUES (?, ?, ?, 1, 0, ?)", id, companyId,
                        request.isDraft() ? "draft" : "pending", now);
                StoredAccount stored = load(companyId, request.login(), false);
                if (request.tariff() != null && stored.tariffPlanId() == null) {
                    throw unknownPlan(companyId, request.tariff());
                }
                AccountPackages.requireOptional(jdbc, companyId, stored.tariffPlanId(), request.tariff(),
                        request.packages());
                Map<String, Object> details = new LinkedHashMap<>(stored.auditedFields());
                details.values().removeIf(Objects::isNull);
                details.put("password", AuditTrail.MASK);
                if (generated) {
                    details.put("passwordGenerated", true);
                }
                if (request.isDraft()) {
                    details.put("draft", true);
                }
                audit.record(actor, companyId, SUBJECT, AccountRules.key(request.login()), "create", "ok", details);
                return stored;
            });
            return reply(201, created).withLocation("/api/v1/accounts/" + created.login() + "?company=" + companyId);
        } catch (DuplicateKeyException e) {
            throw duplicate(e, request.login(), accountNumber, mac);
        }
    }

    public StoredAccount get(long companyId, String login) {
        return load(companyId, login, false);
    }

    public ApiReply change(long companyId, String login, AccountChanges changes, String ifMatch, String actor) {
        try {
            List<String> dropped = new ArrayList<>();
            StoredAccount changed = transaction.execute(tx -> {
                StoredAccount before = load(companyId, login, true);
                requireMatch(before, ifMatch);
                StoredAccount after = apply(before, changes, actor, "change");
                if (changes.packages() == null && before.packages() != null) {
                    dropped.addAll(before.packages());
                    dropped.removeAll(after.packages());
                }
                return after;
            });
            ApiReply reply = reply(200, changed);
            if (!dropped.isEmpty()) {
                // the tariff change dropped subscribed packages: the caller must hear it, not just find them gone
                Map<String, Object> body = new LinkedHashMap<>(changed.view());
                body.put("droppedPackages", dropped);
                reply = ApiReply.of(200, body).withEtag(changed.etag());
            }
            return reply;
        } catch (DuplicateKeyException e) {
            throw duplicate(e, login, changes.accountNumber(),
                    emptyToNull(changes.stbMac()) == null ? null : AccountRules.canonicalMac(changes.stbMac()));
        }
    }

    public ApiReply setStatus(long companyId, String login, String status, String ifMatch, String actor) {
        StoredAccount changed = transaction.execute(tx -> {
            StoredAccount before = load(companyId, login, true);
            requireMatch(before, ifMatch);
            return statusChange(before, status, actor, Map.of());
        });
        return reply(200, changed);
    }

    /**
     * Activates or deactivates every account of one billing customer, each exactly as its own activate or deactivate
     * would (one change, one push, one audit entry per account; an account already so gets an "unchanged" entry).
     */
    public Map<String, Object> setCustomerStatus(long companyId, String customerRef, String status, String actor) {
        List<Map<String, Object>> results = transaction.execute(tx -> {
            List<String> logins = jdbc.queryForList("SELECT login FROM account WHERE company_id = ?"
                    + " AND customer_ref = ? AND deleted_at IS NULL ORDER BY id FOR UPDATE", String.class, companyId,
                    customerRef);
            if (logins.isEmpty()) {
                throw ProblemException.notFound("Customer '" + customerRef + "' has no accounts in company "
                        + companyId + ".");
            }
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (String login : logins) {
                StoredAccount before = load(companyId, login, false);
                StoredAccount after = statusChange(before, status, actor, Map.of("customerRef", customerRef));
                boolean changed = after.version() != before.version() || before.isDraft() != after.isDraft();
                if (!changed) {
                    audit.record(actor, companyId, SUBJECT, AccountRules.key(login), action(status), "unchanged",
                            Map.of("customerRef", customerRef, "status", status));
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

    /** Sets a new subscriber password; the push sends it to Ministra (only a changed password is ever sent). */
    public ApiReply setPassword(long companyId, String login, String password, boolean generated, String actor) {
        StoredAccount changed = transaction.execute(tx -> apply(load(companyId, login, true),
                AccountChanges.password(password), actor, "password",
                generated ? Map.of("passwordGenerated", true) : Map.of()));
        return reply(200, changed);
    }

    /** The status a quick provision gives an account whose request names none. */
    public String defaultProvisionStatus(long companyId) {
        return jdbc.queryForList("SELECT default_provision_status FROM company WHERE id = ?", String.class, companyId)
                .stream().findFirst().orElse("active");
    }

    /** Activation also pushes a draft: activating is how a prepared account goes live. */
    private StoredAccount statusChange(StoredAccount before, String status, String actor,
                                       Map<String, Object> context) {
        StoredAccount after = apply(before, AccountChanges.status(status), actor, action(status), context);
        if (status.equals("active") && after.isDraft()) {
            jdbc.update("UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?"
                    + " WHERE account_id = ? AND state = 'draft'", now(), after.id());
            audit.record(actor, after.companyId(), SUBJECT, AccountRules.key(after.login()), "push-requested", "ok",
                    Map.of("draft", true));
            return loadById(after.id());
        }
        return after;
    }

    private static String action(String status) {
        return status.equals("active") ? "activate" : "deactivate";
    }

    /** Marks the account deleted (a tombstone the API no longer shows) and asks the push to remove it from Ministra. */
    public ApiReply delete(long companyId, String login, String ifMatch, String actor) {
        Map<String, Object> draft = new LinkedHashMap<>();
        StoredAccount deleted = transaction.execute(tx -> {
            StoredAccount before = load(companyId, login, true);
            requireMatch(before, ifMatch);
            if (before.isDraft()) {
                // Ministra never had a draft: nothing to push, the row goes now
                jdbc.update("DELETE FROM account WHERE id = ?", before.id());
                Map<String, Object> details = new LinkedHashMap<>(before.auditedFields());
                details.values().removeIf(Objects::isNull);
                details.put("draft", true);
                audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "delete", "ok", details);
                draft.put("companyId", companyId);
                draft.put("login", before.login());
                draft.put("deleted", true);
                draft.put("draft", true);
                return null;
            }
            OffsetDateTime now = now();
            jdbc.update("UPDATE account SET deleted_at = ?, stb_mac = NULL, version = version + 1, updated_at = ?"
                    + " WHERE id = ?", now, now, before.id());
            requestPush(before.id(), before.version() + 1, now);
            audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "delete", "ok", before.auditedFields()
                    .entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
            return loadById(before.id());
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
            StoredAccount account = load(companyId, login, true);
            if (account.sync().deadLetterId() != null) {
                jdbc.update("UPDATE dead_letter SET status = 'replayed', resolved_at = ?, resolved_by = ?"
                        + " WHERE id = ? AND status = 'open'", now(), actor, account.sync().deadLetterId());
            }
            jdbc.update("UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?,"
                    + " dead_letter_id = NULL WHERE account_id = ?", now(), account.id());
            Map<String, Object> details = new LinkedHashMap<>();
            if (account.sync().deadLetterId() != null) {
                details.put("deadLetterId", account.sync().deadLetterId());
            }
            if (account.isDraft()) {
                details.put("draft", true);
            }
            audit.record(actor, companyId, SUBJECT, AccountRules.key(login), "push-requested", "ok", details);
            return loadById(account.id());
        });
        return reply(202, pushed);
    }

    public Map<String, Object> list(List<Long> companyIds, Long companyId, String status, String tariff, String sync,
                                    String customerRef, String search, String limit, String cursor,
                                    String online) {
        MapSqlParameterSource params = new MapSqlParameterSource("companies",
                companyId == null ? companyIds : List.of(companyId));
        if (status != null) {
            AccountRules.checkStatus(status);
        }
        params.addValue("status", status);
        params.addValue("tariff", tariff);
        if (sync != null && !List.of("draft", "synced", "pending", "retrying", "dead", "discarded").contains(sync)) {
            throw ProblemException.invalidField("sync", "Parameter 'sync' must be draft, synced, pending,"
                    + " retrying, dead or discarded.");
        }
        params.addValue("sync", sync);
        params.addValue("customerRef", customerRef);
        boolean searching = search != null && !search.isBlank();
        String escaped = searching ? search.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                : null;
        params.addValue("q", searching ? "%" + escaped.toLowerCase(Locale.ROOT) + "%" : null);
        params.addValue("qmac", searching ? "%" + escaped.toUpperCase(Locale.ROOT) + "%" : null);
        if (online != null && !online.equals("true") && !online.equals("false")) {
            throw ProblemException.invalidField("online", "Parameter 'online' must be true or false.");
        }
        params.addValue("online", online == null ? null : Boolean.parseBoolean(online));
        // account ids start at 1: no cursor is "after 0"
        params.addValue("after", cursor == null ? 0L : decodeCursor(cursor));
        int pageSize = pageSize(limit);
        params.addValue("limit", pageSize + 1);
        OffsetDateTime now = now();
        List<StoredAccount> page = listPlan == null
                ? named.query(LIST, params, (rs, i) -> StoredAccount.read(rs, now))
                : transaction.execute(tx -> {
                    // a plan for these parameters: PostgreSQL's generic plan of a prepared statement can neither drop
                    // the filters not asked for nor tell a rare search text from a common one, and walks every
                    // account in id order instead of the trigram indexes (V151), 200+ ms instead of 1 at 100,000
                    jdbc.execute(listPlan);
                    return named.query(LIST, params, (rs, i) -> StoredAccount.read(rs, now));
                });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", withOnlineState(page.stream().limit(pageSize).toList()));
        answer.put("nextCursor", page.size() > pageSize ? encodeCursor(page.get(pageSize - 1).id()) : null);
        return answer;
    }

    /** The account's audit trail, oldest first; also after the account was deleted. */
    public List<Map<String, Object>> history(long companyId, String login) {
        List<Map<String, Object>> events = jdbc.query("SELECT occurred_at, actor, action, outcome, details"
                + " FROM audit_event WHERE subject = ? AND company_id = ? AND subject_id = ? ORDER BY id",
                (rs, i) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("at", rs.getObject("occurred_at", OffsetDateTime.class));
                    event.put("actor", rs.getString("actor"));
                    event.put("action", rs.getString("action"));
                    event.put("outcome", rs.getString("outcome"));
                    event.put("details", parse(rs.getString("details")));
                    return event;
                }, SUBJECT, companyId, AccountRules.key(login));
        if (events.isEmpty()) {
            throw notFound(login);
        }
        return events;
    }

    /** The page's accounts with {@code online}: the box's state at the last pull or refresh (null: unknown). */
    private List<Map<String, Object>> withOnlineState(List<StoredAccount> accounts) {
        Map<Long, Boolean> online = new java.util.HashMap<>();
        if (!accounts.isEmpty()) {
            named.query(ONLINE_STATE,
                    new MapSqlParameterSource("ids", accounts.stream().map(StoredAccount::id).toList()),
                    rs -> {
                        online.put(rs.getLong(1), (Boolean) rs.getObject(2));
                    });
        }
        return accounts.stream().map(account -> {
            Map<String, Object> view = new LinkedHashMap<>(account.view());
            view.put("online", online.get(account.id()));
            return view;
        }).toList();
    }

    StoredAccount loadById(long id) {
        OffsetDateTime now = now();
        return jdbc.query(BY_ID, (rs, i) -> StoredAccount.read(rs, now), id).get(0);
    }

    private StoredAccount load(long companyId, String login, boolean forUpdate) {
        OffsetDateTime now = now();
        if (forUpdate) {
            // lock the account row first, so that concurrent writers of one account take turns
            List<Long> locked = jdbc.queryForList(LOCK_BY_LOGIN, Long.class, companyId, AccountRules.key(login));
            if (locked.isEmpty()) {
                throw notFound(login);
            }
        }
        return jdbc.query(BY_LOGIN, (rs, i) -> StoredAccount.read(rs, now), companyId, AccountRules.key(login))
                .stream().findFirst().orElseThrow(() -> notFound(login));
    }

    private StoredAccount apply(StoredAccount before, AccountChanges changes, String actor, String action) {
        return apply(before, changes, actor, action, Map.of());
    }

    /** @param context what the audit entry tells besides the change (e.g. the customer of a customer-wide change) */
    private StoredAccount apply(StoredAccount before, AccountChanges changes, String actor, String action,
                                Map<String, Object> context) {
        Map<String, Object> set = new LinkedHashMap<>();
        Map<String, Object> changed = new LinkedHashMap<>();
        compare(set, changed, "full_name", "fullName", before.fullName(), clearable(changes.fullName()),
                changes.fullName());
        compare(set, changed, "phone", "phone", before.phone(), clearable(changes.phone()), changes.phone());
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
        String mac = emptyToNull(changes.stbMac()) == null ? null : AccountRules.canonicalMac(changes.stbMac());
        compare(set, changed, "stb_mac", "stbMac", before.stbMac(), mac, changes.stbMac());
        compare(set, changed, "comment", "comment", before.comment(), clearable(changes.comment()), changes.comment());
        compare(set, changed, "customer_ref", "customerRef", before.customerRef(), clearable(changes.customerRef()),
                changes.customerRef());
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
        StringBuilder sql = new StringBuilder("UPDATE account SET ");
        List<Object> args = new ArrayList<>();
        set.forEach((column, value) -> {
            sql.append(column).append(" = ?, ");
            args.add(value);
        });
        if (changes.password() != null) {
            sql.append("password_enc = ?, password_version = password_version + 1, ");
            args.add(cipher.encrypt(changes.password()));
            changed.put("password", beforeAfter(AuditTrail.MASK, AuditTrail.MASK));
        }
        if (changed.isEmpty()) {
            return before;
        }
        OffsetDateTime now = now();
        sql.append("version = version + 1, updated_at = ? WHERE id = ?");
        args.add(now);
        args.add(before.id());
        jdbc.update(sql.toString(), args.toArray());
        if (!notInMinistra.containsAll(changed.keySet())) {
            requestPush(before.id(), before.version() + 1, now);
        }
        changed.putAll(context);
        audit.record(actor, before.companyId(), SUBJECT, AccountRules.key(before.login()), action, "ok", changed);
        return loadById(before.id());
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
        String stored = AccountPackages.encode(after);
        if (!stored.equals(AccountPackages.encode(before.packages()))) {
            set.put("packages", stored);
            changed.put("packages", beforeAfter(before.packages(), AccountPackages.decode(stored)));
        }
    }

    /**
     * Tells the push to converge to this version. A synced (or discarded) account becomes pending now; a retrying
     * one keeps its schedule and a dead one stays dead until an operator replays it: either way the push that
     * follows sends the current state.
     */
    private void requestPush(long accountId, long version, OffsetDateTime now) {
        jdbc.update("UPDATE account_push SET requested_version = ?,"
                + " attempts = CASE WHEN state IN ('synced', 'discarded') THEN 0 ELSE attempts END,"
                + " next_attempt_at = CASE WHEN state IN ('synced', 'discarded') THEN ? ELSE next_attempt_at END,"
                + " state = CASE WHEN state IN ('synced', 'discarded') THEN 'pending' ELSE state END"
                + " WHERE account_id = ?", version, now, accountId);
    }

    private static void compare(Map<String, Object> set, Map<String, Object> changed, String column, String field,
                                String before, String after, String requested) {
        if (requested != null && !Objects.equals(before, after)) {
            set.put(column, after);
            changed.put(field, beforeAfter(before, after));
        }
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

    private long activePlan(long companyId, String tariff) {
        return jdbc.queryForList("SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ?"
                        + " AND archived_at IS NULL", Long.class, companyId, tariff).stream().findFirst()
                .orElseThrow(() -> unknownPlan(companyId, tariff));
    }

    private static ProblemException unknownPlan(long companyId, String tariff) {
        return ProblemException.unprocessable("tariff", "Tariff '" + tariff + "' is not an active tariff plan of"
                + " company " + companyId + ".");
    }

    private static void requireMatch(StoredAccount account, String ifMatch) {
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return;
        }
        if (ifMatch.isBlank()) {
            // an empty If-Match is a client that meant to send a version and lost it: never "no precondition"
            throw ProblemException.invalidField("If-Match", "The If-Match header is empty: send the account's ETag,"
                    + " or leave the header out.");
        }
        for (String tag : ifMatch.split(",")) {
            String value = tag.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals(account.etag()) || value.equals(String.valueOf(account.version()))) {
                return;
            }
        }
        throw new ProblemException(412, "Precondition failed", "The account has changed: its current version is "
                + account.etag() + ". Read it again and retry.", Map.of("currentVersion", account.version()));
    }

    private ProblemException duplicate(DuplicateKeyException e, String login, String accountNumber, String mac) {
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

    private static ApiReply reply(int status, StoredAccount account) {
        return ApiReply.of(status, account.view()).withEtag(account.etag());
    }

    private static ProblemException notFound(String login) {
        return ProblemException.notFound("Account '" + login + "' not found.");
    }

    private Object parse(String details) {
        try {
            return details == null ? null : json.readTree(details);
        } catch (JsonProcessingException e) {
            return details;
        }
    }

    private static int pageSize(String limit) {
        if (limit == null) {
            return PAGE_DEFAULT;
        }
        try {
            int size = Integer.parseInt(limit.trim());
            if (size >= 1 && size <= PAGE_MAX) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("limit", "Parameter 'limit' must be 1 to " + PAGE_MAX + ".");
    }

    private static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("a")) {
                return Long.parseLong(decoded.substring(1));
            }
        } catch (IllegalArgumentException malformed) {
            // answered below
        }
        throw ProblemException.invalidField("cursor", "Parameter 'cursor' is not a cursor this API returned.");
    }

    private static String clearable(String value) {
        return value == null ? null : emptyToNull(value);
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
