package dev.ministramanager.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.http.ProblemException;
import dev.ministramanager.security.ApiUsers.IssuedToken;
import dev.ministramanager.security.ApiUsers.StoredUser;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin side of API users: list, create, change (role, password, companies, enabled) and token rotation. Every
 * change is audited (passwords and tokens masked) and makes all nodes' remembered verifications stale.
 */
public class ApiUserAdmin {

    private final ApiUsers users;
    private final ApiGate gate;
    private final AuditTrail audit;
    private final JdbcTemplate jdbc;

    public ApiUserAdmin(ApiUsers users, ApiGate gate, AuditTrail audit, DataSource dataSource) {
        this.users = users;
        this.gate = gate;
        this.audit = audit;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<Map<String, Object>> list() {
        return jdbc.queryForList("SELECT username FROM api_user ORDER BY username", String.class).stream()
                .map(this::get).toList();
    }

    public Map<String, Object> get(String username) {
        StoredUser user = users.findByUsername(username)
                .orElseThrow(() -> ProblemException.notFound("API user '" + username + "' not found."));
        ApiPrincipal principal = users.principalOf(user);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("username", user.username());
        view.put("role", user.role().id());
        view.put("allCompanies", user.allCompanies());
        view.put("companies", principal.companyIds().stream().sorted().toList());
        view.put("enabled", user.enabled());
        view.put("passwordSet", user.passwordHash() != null);
        view.put("activeTokens", jdbc.queryForObject(
                "SELECT COUNT(*) FROM api_token WHERE user_id = ? AND revoked_at IS NULL", Integer.class, user.id()));
        return view;
    }

    /** Creates the user and its first token; the answer is the only place the token ever appears. */
    public Map<String, Object> create(NewApiUser request, String actor) {
        if (users.findByUsername(request.username()).isPresent()) {
            throw ProblemException.conflict("username", "API user '" + request.username() + "' exists.");
        }
        List<Long> companies = request.companies() == null ? List.of() : request.companies();
        long id;
        try {
            id = users.create(request.username(), Role.of(request.role()), request.password(),
                    Boolean.TRUE.equals(request.allCompanies()), companies);
        } catch (DuplicateKeyException concurrentCreate) {
            throw ProblemException.conflict("username", "API user '" + request.username() + "' exists.");
        } catch (DataIntegrityViolationException e) {
            throw ProblemException.unprocessable("companies", "Field 'companies' names a company that does not"
                    + " exist.");
        }
        IssuedToken token = users.rotateToken(id);
        audit.record(actor, null, "api-user", request.username(), "create", "ok", Map.of("role", request.role(),
                "companies", companies, "password", request.password() == null ? "none" : AuditTrail.MASK));
        Map<String, Object> view = new LinkedHashMap<>(get(request.username()));
        view.put("token", token.token());
        return view;
    }

    public Map<String, Object> change(String username, ApiUserChanges changes, String actor) {
        StoredUser user = users.findByUsername(username)
                .orElseThrow(() -> ProblemException.notFound("API user '" + username + "' not found."));
        try {
            users.update(user.id(), changes.role() == null ? null : Role.of(changes.role()), changes.password(),
                    changes.allCompanies(), changes.companies(), changes.enabled());
        } catch (DataIntegrityViolationException e) {
            throw ProblemException.unprocessable("companies", "Field 'companies' names a company that does not"
                    + " exist.");
        }
        gate.credentialsChanged();
        Map<String, Object> details = new LinkedHashMap<>();
        if (changes.role() != null) {
            details.put("role", changes.role());
        }
        if (changes.password() != null) {
            details.put("password", AuditTrail.MASK);
        }
        if (changes.allCompanies() != null) {
            details.put("allCompanies", changes.allCompanies());
        }
        if (changes.companies() != null) {
            details.put("companies", changes.companies());
        }
        if (changes.enabled() != null) {
            details.put("enabled", changes.enabled());
        }
        audit.record(actor, null, "api-user", user.username(), "change", "ok", details);
        return get(username);
    }

    /** Revokes the user's tokens and issues a new one, returned only here. */
    public Map<String, Object> rotateToken(String username, String actor) {
        StoredUser user = users.findByUsername(username)
                .orElseThrow(() -> ProblemException.notFound("API user '" + username + "' not found."));
        IssuedToken token = users.rotateToken(user.id());
        gate.credentialsChanged();
        audit.record(actor, null, "api-user", user.username(), "rotate-token", "ok", Map.of("token",
                AuditTrail.MASK));
        return Map.of("username", user.username(), "token", token.token());
    }
}
