package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

import dev.ministramanager.persistence.SqlStatements;

/**
 * What a push must make true in Ministra: the account as stored now (or its absence, for a deleted one), the version
 * it converges to, and what Ministra was last confirmed to have. {@code packages} is null when the account's
 * optional packages are not managed here. The password stays encrypted until a request needs it.
 */
record DesiredAccount(long id, long companyId, String login, String passwordEnc, long passwordVersion,
                      String fullName, String phone, String accountNumber, String tariff, String status,
                      String stbMac, String comment, OffsetDateTime expiresAt, List<String> packages, long version,
                      boolean deleted, Long pushedVersion, Long pushedPasswordVersion, int attempts) {

    /** The claimed accounts ({@code :token}, {@code :ids}), the columns {@link #read} reads. */
    static final String SELECT = SqlStatements.load("accounts-desired-by-claim");

    static DesiredAccount read(ResultSet rs) throws SQLException {
        long pushed = rs.getLong("pushed_version");
        Long pushedVersion = rs.wasNull() ? null : pushed;
        long pushedPassword = rs.getLong("pushed_password_version");
        Long pushedPasswordVersion = rs.wasNull() ? null : pushedPassword;
        return new DesiredAccount(rs.getLong("id"), rs.getLong("company_id"), rs.getString("login"),
                rs.getString("password_enc"), rs.getLong("password_version"), rs.getString("full_name"),
                rs.getString("phone"), rs.getString("account_number"), rs.getString("tariff"), rs.getString("status"),
                rs.getString("stb_mac"), rs.getString("comment"), rs.getObject("expires_at", OffsetDateTime.class),
                AccountPackages.decode(rs.getString("packages")), rs.getLong("version"),
                rs.getObject("deleted_at", OffsetDateTime.class) != null, pushedVersion, pushedPasswordVersion,
                rs.getInt("attempts"));
    }

    /** Ministra does not have this password yet (as far as we know). */
    boolean passwordOutstanding() {
        return passwordEnc != null && (pushedPasswordVersion == null || pushedPasswordVersion != passwordVersion);
    }

    @Override
    public String toString() {
        return "DesiredAccount[id=" + id + ", companyId=" + companyId + ", login=" + login + ", version=" + version
                + "]";
    }
}
