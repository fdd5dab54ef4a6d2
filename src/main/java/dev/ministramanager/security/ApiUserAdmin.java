package dev.ministramanager.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiUsers.IssuedToken;
import dev.ministramanager.security.ApiUsers.StoredUser;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin side of API users: list, create, change (role, password, companies, enabled) and token rotation. Every
 * change is audited (passwords and tokens masked) and makes all nodes' remembered verifications stale.
 * <p>
 * Scoped admins: an admin of all companies manages every user. An admin granted only some companies manages only
 * users whose companies all lie within its own (never an all-companies user): it sees only those (any other user is
 * 404, as if absent), grants only its own companies, never {@code allCompanies}, and never a role above its own.
 * Otherwise an admin of company A could grant itself all companies, or take over a user of company B.
 */
public class ApiUserAdmin {

    private static final String USERNAMES = SqlStatements.load("api-users-usernames");
    private static final String ACTIVE_TOKENS = SqlStatements.load("api-users-active-tokens");

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

    public List<Map<String, Object>> list(ApiPrincipal admin) {
        return jdbc.queryForList(USERNAMES, String.class).stream()
                .map(users::findByUsername).flatMap(java.util.Optional::stream)
                .filter(user -> manages(admin, user)).map(this::view).toList();
    }

    public Map<String, Object> get(ApiPrincipal admin, String username) {
        return view(managed(admin, username));
    }

    /** The user, when this admin manages it; 404 otherwise (a user outside its companies is not disclosed). */
    private StoredUser managed(ApiPrincipal admin, String username) {
        return users.findByUsername(username).filter(user -> manages(admin, user))
                .orElseThrow(() -> ProblemException.notFound("API user '" + username + "' not found."));
    }

    private boolean manages(ApiPrincipal admin, StoredUser user) {
        if (admin.allCompanies()) {
            return true;
        }
        return !user.allCompanies() && admin.companyIds().containsAll(users.principalOf(user).companyIds())
                && admin.role().includes(user.role());
    }

    /** What a scoped admin may grant: its own companies, no allCompanies, no role above its own (403 otherwise). */
    private static void requireGrantable(ApiPrincipal admin, String role, Boolean allCompanies, List<Long> companies) {
        if (role != null && !admin.role().includes(Role.of(role))) {
            throw new ProblemException(403, "Forbidden", "You may not grant a role above your own.",
                    Map.of("field", "role"));
        }
        if (admin.allCompanies()) {
            return;
        }
        if (Boolean.TRUE.equals(allCompanies)) {
            throw new ProblemException(403, "Forbidden", "Only an admin of all companies may grant allCompanies.",
                    Map.of("field", "allCompanies"));
        }
        if (companies != null && !admin.companyIds().containsAll(companies)) {
            throw new ProblemException(403, "Forbidden", "You may grant only your own companies "
                    + admin.companyIds().stream().sorted().toList() + ".", Map.of("field", "companies"));
        }
    }

    private Map<String, Object> view(StoredUser user) {
        ApiPrincipal principal = users.principalOf(user);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("username", user.username());
        view.put("role", user.role().id());
        view.put("allCompanies", user.allCompanies());
        view.put("companies", principal.companyIds().stream().sorted().toList());
        view.put("enabled", user.enabled());
        view.put("passwordSet", user.passwordHash() != null);
        view.put("activeTokens", jdbc.queryForObject(
                ACTIVE_TOKENS, Integer.class, user.id()));
        return view;
    }

    /** Creates the user and its first token; the answer is the only place the token ever appears. */
    public Map<String, Object> create(ApiPrincipal admin, NewApiUser request) {
        String actor = admin.username();
        requireGrantable(admin, request.role(), request.allCompanies(), request.companies());
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
        Map<String, Object> view = new LinkedHashMap<>(view(users.findById(id).orElseThrow()));
        view.put("token", token.token());
        return view;
    }

    public Map<String, Object> change(ApiPrincipal admin, String username, ApiUserChanges changes) {
        String actor = admin.username();
        StoredUser user = managed(admin, username);
        requireGrantable(admin, changes.role(), changes.allCompanies(), changes.companies());
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
        return view(users.findById(user.id()).orElseThrow());
    }

    /** Revokes the user's tokens and issues a new one, returned only here. */
    public Map<String, Object> rotateToken(ApiPrincipal admin, String username) {
        String actor = admin.username();
        StoredUser user = managed(admin, username);
        IssuedToken token = users.rotateToken(user.id());
        gate.credentialsChanged();
        audit.record(actor, null, "api-user", user.username(), "rotate-token", "ok", Map.of("token",
                AuditTrail.MASK));
        return Map.of("username", user.username(), "token", token.token());
    }
}
