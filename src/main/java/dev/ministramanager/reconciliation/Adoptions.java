package dev.ministramanager.reconciliation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.status.LocalAccount;
import dev.ministramanager.status.RemoteAccount;
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
            jdbc.queryForList("SELECT id FROM account WHERE id = ? FOR UPDATE", accountId);
            Map<String, Object> current = jdbc.queryForMap("SELECT a.login, a.status, p.external_id AS tariff,"
                    + " a.full_name, a.phone, a.stb_mac, a.packages FROM account a LEFT JOIN tariff_plan p"
                    + " ON p.id = a.tariff_plan_id WHERE a.id = ? AND a.company_id = ?", accountId, companyId);
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
                jdbc.update("UPDATE account SET version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                        accountId);
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
                jdbc.update("UPDATE account SET status = ? WHERE id = ?", theirs, accountId);
            }
            case "tariff" -> {
                Long plan = planId(companyId, theirs);
                if (plan == null) {
                    return "Tariff '" + theirs + "' is not one of this company's active plans (sync tariffs first).";
                }
                jdbc.update("UPDATE account SET tariff_plan_id = ? WHERE id = ?", plan, accountId);
            }
            case "full_name", "phone" -> jdbc.update("UPDATE account SET " + field + " = ? WHERE id = ?",
                    emptyToNull(theirs), accountId);
            case "stb_mac" -> {
                String mac = emptyToNull(theirs);
                if (mac != null && !MinistraRequest.CANONICAL_MAC.matcher(mac).matches()) {
                    return "Ministra's MAC '" + mac + "' is not a valid MAC.";
                }
                Integer taken = mac == null ? 0 : jdbc.queryForObject("SELECT COUNT(*) FROM account"
                        + " WHERE company_id = ? AND stb_mac = ? AND id <> ?", Integer.class, companyId, mac, accountId);
                if (taken != null && taken > 0) {
                    return "MAC " + mac + " belongs to another of our accounts.";
                }
                jdbc.update("UPDATE account SET stb_mac = ? WHERE id = ?", mac, accountId);
            }
            case "packages" -> {
                // what Ministra has subscribed are optional packages of the plan it has: ours to keep from now on
                List<String> subscribed = theirs == null || theirs.isEmpty() ? List.of()
                        : List.of(theirs.split(","));
                jdbc.update("UPDATE account SET packages = ? WHERE id = ?", packagesJson(subscribed), accountId);
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
        List<Map<String, Object>> found = jdbc.queryForList("SELECT f.company_id, f.kind, f.remote, f.resolution,"
                + " r.status FROM reconciliation_finding f JOIN reconciliation_run r ON r.id = f.run_id"
                + " WHERE f.id = ? AND f.run_id = ?", findingId, runId);
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
                jdbc.update("INSERT INTO account (company_id, login, login_key, full_name, phone, account_number,"
                                + " account_number_key, tariff_plan_id, status, stb_mac) VALUES (?, ?, ?, ?, ?, ?, ?,"
                                + " ?, ?, ?)", companyId, login, login.toLowerCase(Locale.ROOT),
                        emptyToNull(remote.fullName()), emptyToNull(remote.phone()), number,
                        number.toLowerCase(Locale.ROOT), plan, status, mac);
                long accountId = jdbc.queryForObject("SELECT id FROM account WHERE company_id = ? AND login_key = ?",
                        Long.class, companyId, login.toLowerCase(Locale.ROOT));
                List<String> packages = adoptablePackages(plan, remote.subscribed());
                if (packages != null) {
                    jdbc.update("UPDATE account SET packages = ? WHERE id = ?", packagesJson(packages), accountId);
                }
                // Ministra has exactly this state: the push pipeline starts from "synced", so that later changes
                // are pushed as updates of the existing Ministra account
                jdbc.update("INSERT INTO account_push (account_id, company_id, state, requested_version,"
                        + " pushed_version, pushed_password_version, attempts, next_attempt_at, last_pushed_at)"
                        + " SELECT id, company_id, 'synced', version, version, password_version, 0,"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM account WHERE id = ?", accountId);
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
        List<Long> plan = jdbc.queryForList("SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ?"
                + " AND archived_at IS NULL", Long.class, companyId, externalId);
        return plan.isEmpty() ? null : plan.get(0);
    }

    private void resolve(long findingId, String resolution, String detail) {
        jdbc.update("UPDATE reconciliation_finding SET resolution = ?, resolution_detail = ? WHERE id = ?",
                resolution, detail, findingId);
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
        List<String> optional = jdbc.queryForList("SELECT external_id FROM tariff_package WHERE tariff_plan_id = ?"
                + " AND optional = TRUE", String.class, plan);
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
