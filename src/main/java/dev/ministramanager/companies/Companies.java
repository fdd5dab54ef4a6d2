package dev.ministramanager.companies;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.ministra.MinistraTarget;
import dev.ministramanager.ministra.MinistraTargets;
import dev.ministramanager.persistence.RecentReads;
import dev.ministramanager.security.SecretCipher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Companies: each has its own Ministra, whose password is stored only encrypted. The API view of a company never
 * contains the password, only whether one is set.
 */
public class Companies implements MinistraTargets {

    /** The company and its Ministra's circuit (no circuit row: never failed, reachable). */
    private static final String VIEW_FROM = "id, name, ministra_base_url, ministra_user, connect_timeout_ms,"
            + " read_timeout_ms, enabled, default_provision_status, version, created_at, updated_at,"
            + " m.reachable, m.failing_since, m.next_probe_at, m.last_failure_kind, m.last_failure_at, m.recovered_at,"
            + " m.latency_ms, m.latency_measured_at"
            + " FROM company LEFT JOIN ministra_circuit m ON m.company_id = company.id";
    /** Changes after which Ministra may answer differently: a 401 pause ends, an open circuit is probed now. */
    private static final java.util.Set<String> MINISTRA_ACCESS = java.util.Set.of("ministraBaseUrl", "ministraUser",
            "ministraPassword");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final Runnable created;
    /** Ministra targets as stored (the password still encrypted until the call). */
    private final RecentReads<Long, StoredTarget> targets = new RecentReads<>(Duration.ofSeconds(1));

    private record StoredTarget(MinistraTarget target, String passwordEnc) {
    }

    /** @param created told after a company was created (the API gate's list of all companies) */
    public Companies(DataSource dataSource, SecretCipher cipher, AuditTrail audit, Runnable created) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cipher = cipher;
        this.audit = audit;
        this.created = created;
    }

    public List<Map<String, Object>> list(List<Long> companyIds) {
        return named.query("SELECT " + VIEW_FROM + " WHERE id IN (:ids) ORDER BY id",
                new MapSqlParameterSource("ids", companyIds), (rs, i) -> view(rs));
    }

    public boolean anyExist() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT COUNT(*) > 0 FROM company", Boolean.class));
    }

    public Map<String, Object> get(long companyId) {
        return find(companyId).orElseThrow(() -> ProblemException.notFound("Company " + companyId + " not found."));
    }

    public Optional<Map<String, Object>> find(long companyId) {
        return jdbc.query("SELECT " + VIEW_FROM + " WHERE id = ?", (rs, i) -> view(rs), companyId)
                .stream().findFirst();
    }

    public Map<String, Object> create(NewCompany request, String actor) {
        refuseSharedMinistra(CompanyRules.normalizeBaseUrl(request.ministraBaseUrl()), -1,
                request.sharedMinistra());
        try {
            long id = transaction.execute(status -> {
                jdbc.update("INSERT INTO company (name, ministra_base_url, ministra_user, ministra_password_enc,"
                                + " connect_timeout_ms, read_timeout_ms, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        request.name().trim(), CompanyRules.normalizeBaseUrl(request.ministraBaseUrl()),
                        request.ministraUser(), cipher.encrypt(request.ministraPassword()),
                        orDefault(request.connectTimeoutMs(), CompanyRules.DEFAULT_CONNECT_TIMEOUT_MS),
                        orDefault(request.readTimeoutMs(), CompanyRules.DEFAULT_READ_TIMEOUT_MS),
                        request.enabled() == null || request.enabled());
                long newId = jdbc.queryForObject("SELECT id FROM company WHERE name = ?", Long.class,
                        request.name().trim());
                audit.record(actor, newId, "company", String.valueOf(newId), "create", "ok",
                        Map.of("name", request.name().trim(), "ministraPassword", AuditTrail.MASK));
                return newId;
            });
            created.run();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("name", "A company named '" + request.name().trim() + "' exists.");
        }
    }

    public Map<String, Object> update(long companyId, CompanyChanges changes, String actor) {
        Map<String, Object> before = get(companyId);
        if (changes.ministraBaseUrl() != null) {
            refuseSharedMinistra(CompanyRules.normalizeBaseUrl(changes.ministraBaseUrl()), companyId,
                    changes.sharedMinistra());
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        try {
            transaction.executeWithoutResult(status -> {
                set(companyId, "name", changes.name() == null ? null : changes.name().trim(), before, changed);
                set(companyId, "ministra_base_url", changes.ministraBaseUrl() == null ? null
                        : CompanyRules.normalizeBaseUrl(changes.ministraBaseUrl()), before, changed);
                set(companyId, "ministra_user", changes.ministraUser(), before, changed);
                set(companyId, "connect_timeout_ms", changes.connectTimeoutMs(), before, changed);
                set(companyId, "read_timeout_ms", changes.readTimeoutMs(), before, changed);
                set(companyId, "enabled", changes.enabled(), before, changed);
                set(companyId, "default_provision_status", changes.defaultProvisionStatus(), before, changed);
                if (changes.ministraPassword() != null) {
                    jdbc.update("UPDATE company SET ministra_password_enc = ? WHERE id = ?",
                            cipher.encrypt(changes.ministraPassword()), companyId);
                    changed.put("ministraPassword", Map.of("before", AuditTrail.MASK, "after", AuditTrail.MASK));
                }
                if (!changed.isEmpty()) {
                    jdbc.update("UPDATE company SET version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                            companyId);
                    audit.record(actor, companyId, "company", String.valueOf(companyId), "change", "ok", changed);
                }
            });
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("name", "A company named '" + changes.name().trim() + "' exists.");
        } finally {
            targets.forgetAll();
        }
        if (changed.keySet().stream().anyMatch(MINISTRA_ACCESS::contains)) {
            ministraAccessChanged(companyId, actor);
        }
        return get(companyId);
    }

    /**
     * New Ministra credentials or address: a company paused by a 401 resumes now (the pause is in the database, so on
     * every node), its paused pushes due at once; an open circuit is probed now. Statements of their own, after the
     * change's commit: they take push rows that workers lock too.
     */
    private void ministraAccessChanged(long companyId, String actor) {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        if (jdbc.update("DELETE FROM push_pause WHERE company_id = ?", companyId) > 0) {
            int due = jdbc.update("UPDATE account_push SET next_attempt_at = ? WHERE company_id = ?"
                    + " AND state IN ('pending', 'retrying') AND (lease_until IS NULL OR lease_until < ?)"
                    + " AND next_attempt_at > ?", now, companyId, now, now);
            audit.record(actor, companyId, "company", String.valueOf(companyId), "push-resumed", "ok",
                    Map.of("reason", "Ministra credentials changed", "duePushes", due));
        }
        jdbc.update("UPDATE ministra_circuit SET next_probe_at = ? WHERE company_id = ? AND reachable = FALSE", now,
                companyId);
    }

    /**
     * Two companies on one Ministra push into the same subscriber table and can overwrite each other's accounts:
     * 409 unless the request says it is intended. Another company is not named (the caller may not see it).
     */
    private void refuseSharedMinistra(String baseUrl, long companyId, Boolean intended) {
        if (Boolean.TRUE.equals(intended)) {
            return;
        }
        Integer others = jdbc.queryForObject("SELECT COUNT(*) FROM company WHERE LOWER(ministra_base_url) = LOWER(?)"
                + " AND id <> ?", Integer.class, baseUrl, companyId);
        if (others != null && others > 0) {
            throw ProblemException.conflict("ministraBaseUrl", "Another company already uses this ministraBaseUrl; two"
                    + " companies on one Ministra can overwrite each other's subscribers. Send \"sharedMinistra\":"
                    + " true if this is intended.");
        }
    }

    /**
     * Where and how to reach the company's Ministra; the password is decrypted only for the call. The stored row is
     * read at most once a second per company (every Ministra call needs it), and at once after a change on this node;
     * another node's change shows within that second.
     */
    @Override
    public MinistraTarget of(long companyId) {
        StoredTarget known = targets.get(companyId, id -> jdbc.query("SELECT id, ministra_base_url, ministra_user,"
                                + " ministra_password_enc, connect_timeout_ms, read_timeout_ms, enabled FROM company"
                                + " WHERE id = ?",
                        (rs, i) -> new StoredTarget(new MinistraTarget(rs.getLong(1), rs.getString(2), rs.getString(3),
                                null, rs.getInt(5), rs.getInt(6), rs.getBoolean(7)), rs.getString(4)), id)
                .stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Company " + companyId + " not found.")));
        MinistraTarget target = known.target();
        return new MinistraTarget(target.companyId(), target.baseUrl(), target.user(),
                cipher.decrypt(known.passwordEnc()), target.connectTimeoutMs(), target.readTimeoutMs(),
                target.enabled());
    }

    private void set(long companyId, String column, Object value, Map<String, Object> before,
                     Map<String, Object> changed) {
        String field = camelCase(column);
        if (value == null || value.equals(before.get(field))) {
            return;
        }
        jdbc.update("UPDATE company SET " + column + " = ? WHERE id = ?", value, companyId);
        changed.put(field, Map.of("before", before.get(field), "after", value));
    }

    private static Map<String, Object> view(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> company = new LinkedHashMap<>();
        company.put("id", rs.getLong("id"));
        company.put("name", rs.getString("name"));
        company.put("ministraBaseUrl", rs.getString("ministra_base_url"));
        company.put("ministraUser", rs.getString("ministra_user"));
        company.put("ministraPasswordSet", true);
        company.put("connectTimeoutMs", rs.getInt("connect_timeout_ms"));
        company.put("readTimeoutMs", rs.getInt("read_timeout_ms"));
        company.put("enabled", rs.getBoolean("enabled"));
        company.put("defaultProvisionStatus", rs.getString("default_provision_status"));
        company.put("version", rs.getLong("version"));
        company.put("createdAt", rs.getObject("created_at", java.time.OffsetDateTime.class));
        company.put("updatedAt", rs.getObject("updated_at", java.time.OffsetDateTime.class));
        Map<String, Object> ministra = new LinkedHashMap<>();
        boolean reachable = rs.getBoolean("reachable") || rs.wasNull();
        ministra.put("reachable", reachable);
        ministra.put("failingSince", rs.getObject("failing_since", java.time.OffsetDateTime.class));
        ministra.put("nextProbeAt", reachable ? null : rs.getObject("next_probe_at", java.time.OffsetDateTime.class));
        ministra.put("lastFailureKind", rs.getString("last_failure_kind"));
        ministra.put("lastFailureAt", rs.getObject("last_failure_at", java.time.OffsetDateTime.class));
        ministra.put("recoveredAt", rs.getObject("recovered_at", java.time.OffsetDateTime.class));
        ministra.put("latencyMs", rs.getObject("latency_ms", Integer.class));
        ministra.put("latencyMeasuredAt", rs.getObject("latency_measured_at", java.time.OffsetDateTime.class));
        company.put("ministra", ministra);
        return company;
    }

    private static String camelCase(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
