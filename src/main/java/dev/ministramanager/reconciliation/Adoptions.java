package dev.ministramanager.reconciliation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.fleet.LocalAccount;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes Ministra's values into our records, always audited with before and after: the drifted fields of an account
 * (policy {@code adopt}), and, on an operator's request, a whole account that only Ministra has. Adoption never
 * deletes: an account missing in Ministra stays ours. A value is adopted only while ours is still what the run saw
 * and when it fits our rules (a known tariff, a canonical MAC no other account of ours has).
 */
public class Adoptions {

    private static final String SET_FULL_NAME = SqlStatements.load("reconciliation-account-set-full-name");
    private static final String SET_PHONE = SqlStatements.load("reconciliation-account-set-phone");
    private static final String LOCK_ACCOUNT = SqlStatements.load("reconciliation-lock-account");
    private static final String ADOPTED_ACCOUNT = SqlStatements.load("reconciliation-adopted-account");
    private static final String BUMP_VERSION = SqlStatements.load("reconciliation-account-bump-version");
    private static final String SET_STATUS = SqlStatements.load("reconciliation-account-set-status");
    private static final String SET_TARIFF = SqlStatements.load("reconciliation-account-set-tariff");
    private static final String MAC_TAKEN = SqlStatements.load("reconciliation-mac-taken");
    private static final String SET_MAC = SqlStatements.load("reconciliation-account-set-mac");
    private static final String SET_PACKAGES = SqlStatements.load("reconciliation-account-set-packages");
    private static final String FINDING = SqlStatements.load("reconciliation-finding-to-adopt");
    private static final String INSERT_ACCOUNT = SqlStatements.load("reconciliation-account-insert");
    private static final String ID_BY_LOGIN = SqlStatements.load("reconciliation-account-id-by-login");
    private static final String INSERT_SYNCED_PUSH = SqlStatements.load("reconciliation-account-push-synced");
    private static final String ACTIVE_PLAN_ID = SqlStatements.load("reconciliation-active-plan-id");
    private static final String RESOLVE_FINDING = SqlStatements.load("reconciliation-finding-resolve");
    private static final String OPTIONAL_PACKAGES = SqlStatements.load("reconciliation-optional-packages");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final ObjectMapper json;

    public Adoptions(DataSource dataSource, AuditTrail audit, ObjectMapper json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.audit = audit;
        this.json = json;
    }

    /** Applies the {@code adopt} policy to one account's findings of a run, in one transaction. */
    public void adoptDrift(long runId, long companyId, long accountId, List<Map<String, Object>> findings,
                           String actor) {
        transaction.executeWithoutResult(status -> {
            jdbc.queryForList(LOCK_ACCOUNT, accountId);
            Map<String, Object> current = jdbc.queryForMap(ADOPTED_ACCOUNT, accountId, companyId);
            // compared as the finding shows them
            current.put("packages", LocalAccount.packagesText((String) current.get("packages")));
            Map<String, Object> changed = new LinkedHashMap<>();
            for (Map<String, Object> finding : findings) {
                long findingId = ((Number) finding.get("id")).longValue();
                if (finding.get("kind").equals("missing_in_ministra")) {
                    resolve(findingId, "reported", "Adoption never deletes: the account stays ours (push it to"
                            + " Ministra, or delete it through the accounts API).");
                    continue;
                }
                String field = (String) finding.get("field");
                String theirs = (String) finding.get("theirs");
                if (!Objects.equals(current.get(field), finding.get("ours"))) {
                    resolve(findingId, "not_adoptable", "Our value changed since the run read it.");
                    continue;
                }
                String refusal = adoptField(companyId, accountId, field, theirs);
                if (refusal != null) {
                    resolve(findingId, "not_adoptable", refusal);
                    continue;
                }
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", current.get(field));
                change.put("after", emptyToNull(theirs));
                changed.put(field, change);
                resolve(findingId, "adopted", null);
            }
            if (!changed.isEmpty()) {
                jdbc.update(BUMP_VERSION, accountId);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("login", current.get("login"));
                details.put("reconciliationRun", runId);
                details.put("changes", changed);
                audit.record(actor, companyId, AuditTrail.ACCOUNT,
                        AuditTrail.accountSubjectId((String) current.get("login")), "adopt", "ok", details);
            }
        });
    }

    /** Sets our field to Ministra's value, or says why it cannot be taken. */
    private String adoptField(long companyId, long accountId, String field, String theirs) {
        switch (field) {
            case "status" -> {
                if (!"active".equals(theirs) && !"inactive".equals(theirs)) {
                    return "Ministra's status is unknown.";
                }
                jdbc.update(SET_STATUS, theirs, accountId);
            }
            case "tariff" -> {
                Long plan = planId(companyId, theirs);
                if (plan == null) {
                    return "Tariff '" + theirs + "' is not one of this company's active plans (sync tariffs first).";
                }
                jdbc.update(SET_TARIFF, plan, accountId);
            }
            case "full_name" -> jdbc.update(SET_FULL_NAME, emptyToNull(theirs), accountId);
            case "phone" -> jdbc.update(SET_PHONE, emptyToNull(theirs), accountId);
            case "stb_mac" -> {
                String mac = emptyToNull(theirs);
                if (mac != null && !MinistraRequest.CANONICAL_MAC.matcher(mac).matches()) {
                    return "Ministra's MAC '" + mac + "' is not a valid MAC.";
                }
                Integer taken = mac == null ? 0
                        : jdbc.queryForObject(MAC_TAKEN, Integer.class, companyId, mac, accountId);
                if (taken != null && taken > 0) {
                    return "MAC " + mac + " belongs to another of our accounts.";
                }
                jdbc.update(SET_MAC, mac, accountId);
            }
            case "packages" -> {
                // what Ministra has subscribed are optional packages of the plan it has: ours to keep from now on
                List<String> subscribed = theirs == null || theirs.isEmpty() ? List.of()
                        : List.of(theirs.split(","));
                jdbc.update(SET_PACKAGES, packagesJson(subscribed), accountId);
            }
            default -> {
                return "Field " + field + " cannot be adopted.";
            }
        }
        return null;
    }

    /**
     * {@code POST /reconciliation/runs/{runId}/findings/{findingId}/adopt}: creates our account from a row that only
     * Ministra has, as Ministra has it (no password: Ministra never returns one).
     */
    public Map<String, Object> adoptOnlyInMinistra(Exchange exchange) {
        long runId = pathId(exchange, "runId");
        long findingId = pathId(exchange, "findingId");
        String actor = exchange.getVariable(ApiGate.ACTOR, String.class);
        @SuppressWarnings("unchecked")
        List<Long> visible = exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
        List<Map<String, Object>> found = jdbc.queryForList(FINDING, findingId, runId);
        if (found.isEmpty() || !visible.contains(((Number) found.get(0).get("company_id")).longValue())) {
            throw ProblemException.notFound("Finding " + findingId + " of run " + runId + " not found.");
        }
        Map<String, Object> finding = found.get(0);
        long companyId = ((Number) finding.get("company_id")).longValue();
        if (!"only_in_ministra".equals(finding.get("kind"))) {
            throw ProblemException.conflict("findingId", "Only an account that only Ministra has can be adopted.");
        }
        if (!"completed".equals(finding.get("status"))) {
            throw ProblemException.conflict("runId", "The run did not complete; its findings cannot be acted on.");
        }
        if ("adopted".equals(finding.get("resolution"))) {
            throw ProblemException.conflict("findingId", "This account was adopted already.");
        }
        RemoteAccount remote = remoteOf((String) finding.get("remote"));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("reconciliationRun", runId);
        context.put("finding", findingId);
        return transaction.execute(tx -> {
            Map<String, Object> account = adoptRow(companyId, remote, actor, context);
            resolve(findingId, "adopted", "Account " + account.get("id") + " created from Ministra's row.");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
            return account;
        });
    }

    /**
     * Creates our account from a row that only Ministra has, as Ministra has it (no password: Ministra never returns
     * one), synced, audited as {@code adopt-from-ministra} with {@code context}. Joins the caller's transaction if
     * there is one. A row without a login, with a MAC that is not one, or whose login, account number or MAC we have
     * already is refused (problem naming the field); a tariff that is none of our active plans is left empty.
     */
    public Map<String, Object> adoptRow(long companyId, RemoteAccount remote, String actor,
                                        Map<String, Object> context) {
        String login = remote.login() == null ? "" : remote.login().trim();
        if (login.isEmpty()) {
            throw ProblemException.unprocessable("login", "The Ministra row has no login (a box that registered"
                    + " itself); give it a login in Ministra first.");
        }
        String number = remote.accountNumber() == null || remote.accountNumber().isBlank() ? login
                : remote.accountNumber().trim();
        String mac = remote.macKey();
        if (mac != null && !MinistraRequest.CANONICAL_MAC.matcher(mac).matches()) {
            throw ProblemException.unprocessable("stb_mac", "Ministra's MAC '" + mac + "' is not a valid MAC.");
        }
        Long plan = remote.tariffPlan() == null ? null : planId(companyId, remote.tariffPlan());
        String status = "inactive".equals(remote.statusName()) ? "inactive" : "active";
        try {
            return transaction.execute(tx -> {
                jdbc.update(INSERT_ACCOUNT, companyId, login, login.toLowerCase(Locale.ROOT),
                        emptyToNull(remote.fullName()), emptyToNull(remote.phone()), number,
                        number.toLowerCase(Locale.ROOT), plan, status, mac);
                long accountId = jdbc.queryForObject(ID_BY_LOGIN,
                        Long.class, companyId, login.toLowerCase(Locale.ROOT));
                List<String> packages = adoptablePackages(plan, remote.subscribed());
                if (packages != null) {
                    jdbc.update(SET_PACKAGES, packagesJson(packages), accountId);
                }
                // Ministra has exactly this state: the push pipeline starts from "synced", so that later changes
                // are pushed as updates of the existing Ministra account
                jdbc.update(INSERT_SYNCED_PUSH, accountId);
                Map<String, Object> account = new LinkedHashMap<>();
                account.put("id", accountId);
                account.put("companyId", companyId);
                account.put("login", login);
                account.put("accountNumber", number);
                account.put("status", status);
                account.put("tariff", plan == null ? null : remote.tariffPlan());
                account.put("fullName", emptyToNull(remote.fullName()));
                account.put("phone", emptyToNull(remote.phone()));
                account.put("stbMac", mac);
                account.put("packages", packages);
                Map<String, Object> details = new LinkedHashMap<>(account);
                details.putAll(context);
                audit.record(actor, companyId, AuditTrail.ACCOUNT, AuditTrail.accountSubjectId(login),
                        "adopt-from-ministra", "ok",
                        details);
                return account;
            });
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("login", "We already have an account with this login, account number"
                    + " or MAC.");
        }
    }

    private Long planId(long companyId, String externalId) {
        List<Long> plan = jdbc.queryForList(ACTIVE_PLAN_ID, Long.class, companyId, externalId);
        return plan.isEmpty() ? null : plan.get(0);
    }

    private void resolve(long findingId, String resolution, String detail) {
        jdbc.update(RESOLVE_FINDING, resolution, detail, findingId);
    }

    private RemoteAccount remoteOf(String stored) {
        try {
            return json.readValue(stored, RemoteAccount.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored Ministra row is not readable", e);
        }
    }

    static long pathId(Exchange exchange, String name) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound(name + " '" + raw + "' not found.");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Ministra's subscriptions become ours to manage when every one is an optional package of the adopted plan;
     * otherwise (or with none) they stay unmanaged (null), so that no push ever unsubscribes what Ministra has.
     */
    private List<String> adoptablePackages(Long plan, List<String> subscribed) {
        if (plan == null || subscribed == null || subscribed.isEmpty()) {
            return null;
        }
        List<String> optional = jdbc.queryForList(OPTIONAL_PACKAGES, String.class, plan);
        List<String> sorted = new java.util.TreeSet<>(subscribed).stream().toList();
        return optional.containsAll(sorted) ? sorted : null;
    }

    private String packagesJson(List<String> packages) {
        try {
            return json.writeValueAsString(packages);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }
}
