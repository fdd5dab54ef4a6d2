package dev.ministramanager.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Our record of an account, as far as status and reconciliation compare it with Ministra. A {@code draft} is not
 * meant to be in Ministra yet. {@code packages}: the optional packages as stored (a sorted JSON array), null when
 * not managed here.
 */
public record LocalAccount(long id, long companyId, String login, String accountNumber, String stbMac, String status,
                           String tariff, String fullName, String phone, boolean draft, String packages) {

    /** What an identifier in a Ministra URL path may hold (the client's guardrail). */
    private static final ObjectMapper PACKAGES_JSON = new ObjectMapper();
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** A row of sql/fleet-local-account*.sql. */
    public static LocalAccount of(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new LocalAccount(rs.getLong("id"), rs.getLong("company_id"), rs.getString("login"),
                rs.getString("account_number"), rs.getString("stb_mac"), rs.getString("status"),
                rs.getString("tariff"), rs.getString("full_name"), rs.getString("phone"),
                "draft".equals(rs.getString("push_state")), rs.getString("packages"));
    }

    /**
     * Whether Ministra can be asked for this account by its account number in a batch: the number must survive a
     * URL path and must not contain a colon (which, in the first position of a batch, switches Ministra to MAC mode).
     */
    public boolean readableByNumber() {
        return accountNumber != null && URL_SAFE.matcher(accountNumber).matches();
    }

    /** Whether the account's optional packages are ours to push (and so to compare with Ministra's). */
    public boolean managesPackages() {
        return packages != null;
    }

    /** The managed packages, sorted and comma-separated, as a reconciliation finding shows them. */
    public String packagesText() {
        return packagesText(packages);
    }

    /** {@code account.packages} (a JSON array) sorted and comma-separated; null when not managed here. */
    public static String packagesText(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            List<String> list = new ArrayList<>();
            PACKAGES_JSON.readTree(stored).forEach(pkg -> list.add(pkg.asText()));
            return String.join(",", new TreeSet<>(list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("account.packages is not a JSON list", e);
        }
    }

    public String numberKey() {
        return RemoteAccount.collationKey(accountNumber);
    }
}
