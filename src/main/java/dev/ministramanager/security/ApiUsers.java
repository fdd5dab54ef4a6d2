package dev.ministramanager.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import dev.ministramanager.persistence.RecentReads;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The API users, their company grants and their tokens. Passwords and token secrets are kept only as BCrypt hashes;
 * a token is shown once, when it is issued, as {@code mm_<id>_<secret>}.
 */
public class ApiUsers {

    private static final String BY_USERNAME = SqlStatements.load("api-users-by-username");
    private static final String BY_ID = SqlStatements.load("api-users-by-id");
    private static final String TOKEN_OWNER = SqlStatements.load("api-users-token-owner");
    private static final String GRANTED_COMPANIES = SqlStatements.load("api-users-granted-companies");
    private static final String ALL_COMPANY_IDS = SqlStatements.load("companies-all-ids");
    private static final String INSERT_USER = SqlStatements.load("api-users-insert");
    private static final String ID_BY_USERNAME = SqlStatements.load("api-users-id-by-username");
    private static final String GRANT_COMPANY = SqlStatements.load("api-users-grant-company");
    private static final String SET_ROLE = SqlStatements.load("api-users-set-role");
    private static final String SET_PASSWORD = SqlStatements.load("api-users-set-password");
    private static final String SET_ALL_COMPANIES = SqlStatements.load("api-users-set-all-companies");
    private static final String SET_ENABLED = SqlStatements.load("api-users-set-enabled");
    private static final String REVOKE_COMPANY_GRANTS = SqlStatements.load("api-users-revoke-company-grants");
    private static final String REVOKE_TOKENS = SqlStatements.load("api-users-revoke-tokens");
    private static final String INSERT_TOKEN = SqlStatements.load("api-users-token-insert");
    private static final String TOKEN_HASH = SqlStatements.load("api-users-token-hash");
    private static final String REPLACE_TOKEN = SqlStatements.load("api-users-token-replace");
    private static final String ENABLED_ADMINS = SqlStatements.load("api-users-enabled-admins");

    /** The token id of the bootstrap admin's token, whose value comes from configuration. */
    public static final String BOOTSTRAP_TOKEN_ID = "bootstrap";
    public static final String BOOTSTRAP_ADMIN = "admin";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final SecureRandom random = new SecureRandom();
    /** Every company id (under one key): all-company users need it on every request. */
    private final RecentReads<String, List<Long>> companyIds = new RecentReads<>(Duration.ofSeconds(1));

    /**
     * Compared against when there is no hash to compare (unknown user or token, disabled user, no password): every
     * failed verification then costs one BCrypt, as a wrong password does, so timing does not reveal which names
     * exist.
     */
    private final String absentHash;

    public ApiUsers(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        byte[] unguessable = new byte[32];
        random.nextBytes(unguessable);
        this.absentHash = bcrypt.encode(java.util.Base64.getEncoder().encodeToString(unguessable));
    }

    public record StoredUser(long id, String username, Role role, String passwordHash, boolean allCompanies,
                             boolean enabled) {
    }

    public record IssuedToken(String tokenId, String token) {
    }

    public Optional<StoredUser> findByUsername(String username) {
        return jdbc.query(BY_USERNAME, (rs, i) -> new StoredUser(rs.getLong(1), rs.getString(2),
                Role.of(rs.getString(3)), rs.getString(4), rs.getBoolean(5), rs.getBoolean(6)),
                username.toLowerCase()).stream().findFirst();
    }

    public Optional<StoredUser> findById(long id) {
        return jdbc.query(BY_ID, (rs, i) -> new StoredUser(rs.getLong(1), rs.getString(2),
                Role.of(rs.getString(3)), rs.getString(4), rs.getBoolean(5), rs.getBoolean(6)), id)
                .stream().findFirst();
    }

    /** The enabled user owning an unrevoked token whose secret matches, if any. */
    public Optional<StoredUser> userOfToken(String tokenId, String secret) {
        List<Map<String, Object>> rows = jdbc.queryForList(TOKEN_OWNER, tokenId);
        String hash = rows.isEmpty() ? null : (String) rows.get(0).get("secret_hash");
        boolean matches = bcrypt.matches(secret, hash == null ? absentHash : hash);
        if (hash == null || !matches) {
            return Optional.empty();
        }
        return findById(((Number) rows.get(0).get("user_id")).longValue());
    }

    /** The enabled user whose password matches, if any. */
    public Optional<StoredUser> userOfPassword(String username, String password) {
        Optional<StoredUser> user = findByUsername(username).filter(StoredUser::enabled);
        String hash = user.map(StoredUser::passwordHash).orElse(null);
        boolean matches = bcrypt.matches(password, hash == null ? absentHash : hash);
        return hash != null && matches ? user : Optional.empty();
    }

    public ApiPrincipal principalOf(StoredUser user) {
        Set<Long> companies = new HashSet<>(jdbc.queryForList(
                GRANTED_COMPANIES, Long.class, user.id()));
        return new ApiPrincipal(user.id(), user.username(), user.role(), user.allCompanies(), Set.copyOf(companies));
    }

    /**
     * Every company's id, for users who see all companies. Read again after a second, or at once after a company was
     * created on this node ({@link #companiesChanged}); another node's new company shows within that second.
     */
    public List<Long> allCompanyIds() {
        return companyIds.get("all", all -> List.copyOf(jdbc.queryForList(ALL_COMPANY_IDS, Long.class)));
    }

    /** A company was created: the next request reads the company ids again. */
    public void companiesChanged() {
        companyIds.forgetAll();
    }

    public long create(String username, Role role, String password, boolean allCompanies, List<Long> companyIds) {
        return transaction.execute(status -> {
            jdbc.update(INSERT_USER,
                    username.toLowerCase(), role.id(), password == null ? null : bcrypt.encode(password),
                    allCompanies);
            long id = jdbc.queryForObject(ID_BY_USERNAME, Long.class,
                    username.toLowerCase());
            for (Long companyId : companyIds) {
                jdbc.update(GRANT_COMPANY, id, companyId);
            }
            return id;
        });
    }

    public void update(long userId, Role role, String password, Boolean allCompanies, List<Long> companyIds,
                       Boolean enabled) {
        transaction.executeWithoutResult(status -> {
            if (role != null) {
                jdbc.update(SET_ROLE, role.id(), userId);
            }
            if (password != null) {
                jdbc.update(SET_PASSWORD, bcrypt.encode(password), userId);
            }
            if (allCompanies != null) {
                jdbc.update(SET_ALL_COMPANIES, allCompanies, userId);
            }
            if (enabled != null) {
                jdbc.update(SET_ENABLED, enabled, userId);
            }
            if (companyIds != null) {
                jdbc.update(REVOKE_COMPANY_GRANTS, userId);
                for (Long companyId : companyIds) {
                    jdbc.update(GRANT_COMPANY, userId,
                            companyId);
                }
            }
        });
    }

    /** Revokes every token of the user and issues a new one; the token text exists only in the return value. */
    public IssuedToken rotateToken(long userId) {
        return transaction.execute(status -> {
            jdbc.update(REVOKE_TOKENS, userId, BOOTSTRAP_TOKEN_ID);
            byte[] idBytes = new byte[8];
            byte[] secretBytes = new byte[32];
            random.nextBytes(idBytes);
            random.nextBytes(secretBytes);
            String tokenId = HexFormat.of().formatHex(idBytes);
            String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
            jdbc.update(INSERT_TOKEN, tokenId, userId,
                    bcrypt.encode(secret));
            return new IssuedToken(tokenId, "mm_" + tokenId + "_" + secret);
        });
    }

    /** Makes the configured bootstrap token the admin's, creating the admin when there is none. */
    public void installBootstrapToken(String token) {
        transaction.executeWithoutResult(status -> {
            long adminId = findByUsername(BOOTSTRAP_ADMIN).map(StoredUser::id)
                    .orElseGet(() -> create(BOOTSTRAP_ADMIN, Role.ADMIN, null, true, List.of()));
            List<String> hashes = jdbc.queryForList(TOKEN_HASH, String.class,
                    BOOTSTRAP_TOKEN_ID);
            if (hashes.isEmpty()) {
                jdbc.update(INSERT_TOKEN, BOOTSTRAP_TOKEN_ID,
                        adminId, bcrypt.encode(token));
            } else if (!bcrypt.matches(token, hashes.get(0))) {
                jdbc.update(REPLACE_TOKEN, bcrypt.encode(token), adminId, BOOTSTRAP_TOKEN_ID);
            }
        });
    }

    public boolean anyEnabledAdmin() {
        Integer count = jdbc.queryForObject(
                ENABLED_ADMINS, Integer.class);
        return count != null && count > 0;
    }
}
