package dev.ministramanager.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.ministramanager.api.AnswerFields;
import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;

/** One account row with its tariff's external id and its push state, as {@code sql/accounts-by-login.sql} reads it. */
record StoredAccount(long id, long companyId, String login, boolean passwordSet, String fullName, String phone,
                     String accountNumber, Long tariffPlanId, String tariff, String status, String stbMac,
                     String comment, OffsetDateTime expiresAt, String customerRef, List<String> packages,
                     long version, OffsetDateTime createdAt, OffsetDateTime updatedAt, SyncState sync) {

    static StoredAccount read(ResultSet rs, OffsetDateTime now) throws SQLException {
        long plan = rs.getLong("tariff_plan_id");
        Long tariffPlanId = rs.wasNull() ? null : plan;
        return new StoredAccount(rs.getLong("id"), rs.getLong("company_id"), rs.getString("login"),
                rs.getString("password_enc") != null, rs.getString("full_name"), rs.getString("phone"),
                rs.getString("account_number"), tariffPlanId, rs.getString("tariff"), rs.getString("status"),
                rs.getString("stb_mac"), rs.getString("comment"), rs.getObject("expires_at", OffsetDateTime.class),
                rs.getString("customer_ref"), AccountPackages.decode(rs.getString("packages")), rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                SyncState.read(rs, now));
    }

    boolean isDraft() {
        return sync.state().equals("draft");
    }

    String etag() {
        return "\"" + version + "\"";
    }

    /** The API's answer: the account's view with its ETag. */
    ApiReply answer(int status) {
        return ApiReply.of(status, view()).withEtag(etag());
    }

    /**
     * The precondition of a change: an {@code If-Match} header (absent or {@code *}: none) must name this version,
     * as its ETag or bare; otherwise 412 with the current version.
     */
    void requireMatch(String ifMatch) {
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
            if (value.equals(etag()) || value.equals(String.valueOf(version))) {
                return;
            }
        }
        throw new ProblemException(412, "Precondition failed", "The account has changed: its current version is "
                + etag() + ". Read it again and retry.", Map.of("currentVersion", version));
    }

    /** The fields an audit entry compares (the password never appears; its change is recorded masked). */
    Map<String, Object> auditedFields() {
        return AnswerFields.toMap(fields -> writeChangeable(fields,
                expiresAt == null ? null : expiresAt.toInstant().toString(), packages));
    }

    Map<String, Object> view() {
        return AnswerFields.toMap(this::writeTo);
    }

    /** The account's fields as the API answers them, in their order. */
    void writeTo(AnswerFields fields) {
        fields.put("companyId", companyId);
        fields.put("login", login);
        writeChangeable(fields, expiresAt, packages == null ? List.of() : packages);
        fields.put("passwordSet", passwordSet);
        fields.put("version", version);
        fields.put("createdAt", createdAt);
        fields.put("updatedAt", updatedAt);
        fields.object("sync", sync::writeTo);
    }

    /** The fields a change may set, in the answer's order (also the audit's, which shows the expiry as an instant). */
    private void writeChangeable(AnswerFields fields, Object expiry, List<String> packageList) {
        fields.put("fullName", fullName);
        fields.put("phone", phone);
        fields.put("accountNumber", accountNumber);
        fields.put("tariff", tariff);
        fields.put("status", status);
        fields.put("stbMac", stbMac);
        fields.put("comment", comment);
        fields.put("expiresAt", expiry);
        fields.put("customerRef", customerRef);
        fields.put("packages", packageList);
    }
}
