package dev.ministramanager.companies;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraTarget;
import dev.ministramanager.ministra.MinistraTargets;
import dev.ministramanager.persistence.RecentReads;
import dev.ministramanager.persistence.SqlStatements;
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

    private static final String VIEW = SqlStatements.load("companies-view");
    private static final String ANY_COMPANY = SqlStatements.load("companies-any");
    private static final String INSERT_COMPANY = SqlStatements.load("companies-insert");
    private static final String ID_BY_NAME = SqlStatements.load("companies-id-by-name");
    private static final String UPDATE_COMPANY = SqlStatements.load("companies-update");
    private static final String DELETE_PAUSE = SqlStatements.load("companies-resume-delete-pause");
    private static final String PUSHES_NOW = SqlStatements.load("companies-resume-pushes-now");
    private static final String PROBE_NOW = SqlStatements.load("companies-resume-probe-now");
    private static final String SAME_BASE_URL = SqlStatements.load("companies-same-base-url");
    private static final String CONNECTION = SqlStatements.load("companies-connection");

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
        return named.query(VIEW, new MapSqlParameterSource("ids", companyIds), (rs, i) -> view(rs));
    }

    public boolean anyExist() {
        return Boolean.TRUE.equals(jdbc.queryForObject(ANY_COMPANY, Boolean.class));
    }

    public Map<String, Object> get(long companyId) {
        return find(companyId).orElseThrow(() -> ProblemException.notFound("Company " + companyId + " not found."));
    }

    public Optional<Map<String, Object>> find(long companyId) {
        return list(List.of(companyId)).stream().findFirst();
    }

    public Map<String, Object> create(NewCompany request, String actor) {
        refuseSharedMinistra(CompanyRules.normalizeBaseUrl(request.ministraBaseUrl()), -1,
                request.sharedMinistra());
        try {
            long id = transaction.execute(status -> {
                jdbc.update(INSERT_COMPANY,
                        request.name().trim(), CompanyRules.normalizeBaseUrl(request.ministraBaseUrl()),
                        request.ministraUser(), cipher.encrypt(request.ministraPassword()),
                        orDefault(request.connectTimeoutMs(), CompanyRules.DEFAULT_CONNECT_TIMEOUT_MS),
                        orDefault(request.readTimeoutMs(), CompanyRules.DEFAULT_READ_TIMEOUT_MS),
                        request.enabled() == null || request.enabled());
                long newId = jdbc.queryForObject(ID_BY_NAME, Long.class,
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
        // the columns that change, by field name; absent ones keep their value (companies-update.sql)
        MapSqlParameterSource values = new MapSqlParameterSource("id", companyId);
        change("name", changes.name() == null ? null : changes.name().trim(), before, changed, values);
        change("ministraBaseUrl", changes.ministraBaseUrl() == null ? null
                : CompanyRules.normalizeBaseUrl(changes.ministraBaseUrl()), before, changed, values);
        change("ministraUser", changes.ministraUser(), before, changed, values);
        change("connectTimeoutMs", changes.connectTimeoutMs(), before, changed, values);
        change("readTimeoutMs", changes.readTimeoutMs(), before, changed, values);
        change("enabled", changes.enabled(), before, changed, values);
        change("defaultProvisionStatus", changes.defaultProvisionStatus(), before, changed, values);
        values.addValue("ministraPasswordEnc",
                changes.ministraPassword() == null ? null : cipher.encrypt(changes.ministraPassword()));
        if (changes.ministraPassword() != null) {
            changed.put("ministraPassword", Map.of("before", AuditTrail.MASK, "after", AuditTrail.MASK));
        }
        try {
            if (!changed.isEmpty()) {
                transaction.executeWithoutResult(status -> {
                    named.update(UPDATE_COMPANY, values);
                    audit.record(actor, companyId, "company", String.valueOf(companyId), "change", "ok", changed);
                });
            }
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
        if (jdbc.update(DELETE_PAUSE, companyId) > 0) {
            int due = jdbc.update(PUSHES_NOW, now, companyId, now, now);
            audit.record(actor, companyId, "company", String.valueOf(companyId), "push-resumed", "ok",
                    Map.of("reason", "Ministra credentials changed", "duePushes", due));
        }
        jdbc.update(PROBE_NOW, now,
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
        Integer others = jdbc.queryForObject(SAME_BASE_URL, Integer.class, baseUrl, companyId);
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
        StoredTarget known = targets.get(companyId, id -> jdbc.query(CONNECTION,
                        (rs, i) -> new StoredTarget(new MinistraTarget(rs.getLong(1), rs.getString(2), rs.getString(3),
                                null, rs.getInt(5), rs.getInt(6), rs.getBoolean(7)), rs.getString(4)), id)
                .stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Company " + companyId + " not found.")));
        MinistraTarget target = known.target();
        return new MinistraTarget(target.companyId(), target.baseUrl(), target.user(),
                cipher.decrypt(known.passwordEnc()), target.connectTimeoutMs(), target.readTimeoutMs(),
                target.enabled());
    }

    /** A field that changes (given and not its stored value) goes into the update and the audited changes. */
    private static void change(String field, Object value, Map<String, Object> before, Map<String, Object> changed,
                               MapSqlParameterSource values) {
        boolean changes = value != null && !value.equals(before.get(field));
        values.addValue(field, changes ? value : null);
        if (changes) {
            changed.put(field, Map.of("before", before.get(field), "after", value));
        }
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

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
