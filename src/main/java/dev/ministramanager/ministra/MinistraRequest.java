package dev.ministramanager.ministra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request to a company's Ministra REST API v1, checked against the guardrails when it is made, so that no caller
 * can even build a dangerous request:
 * <ul>
 * <li>never an empty identifier list (or an empty identifier) where Ministra reads that as "every row";</li>
 * <li>identifiers only from the characters Ministra's URL handling keeps intact;</li>
 * <li>a MAC, as identifier or {@code stb_mac}, only in canonical form {@code XX:XX:XX:XX:XX:XX} (upper-case hex);</li>
 * <li>{@code users/<x>} only by login (a colon would switch Ministra to MAC mode).</li>
 * </ul>
 * Bodies are always form-encoded by the client; there is no way to send JSON. Unknown tariffs are refused by
 * {@link MinistraRequests} against the company's synced catalogue.
 */
public record MinistraRequest(long companyId, String method, String resource, List<String> identifiers,
                              Map<String, List<String>> form) {

    /** The only calls that may go without an identifier: full listings (GET) and creating an account (POST). */
    private static final Set<String> LISTINGS = Set.of("accounts", "tariffs", "services_package");
    private static final Set<String> KNOWN = Set.of("accounts", "users", "stb", "tariffs", "services_package",
            "account_subscription", "send_event", "stb_msg");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final Pattern SAFE_IDENTIFIER = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
    public static final Pattern CANONICAL_MAC = Pattern.compile("([0-9A-F]{2}:){5}[0-9A-F]{2}");

    public MinistraRequest {
        identifiers = List.copyOf(identifiers);
        form = form == null ? Map.of() : copyOf(form);
        if (!METHODS.contains(method)) {
            throw MinistraFailure.guardrail("Unsupported method " + method);
        }
        if (!KNOWN.contains(resource)) {
            throw MinistraFailure.guardrail("Unknown Ministra resource " + resource);
        }
        boolean unidentifiedIsSafe = method.equals("GET") && LISTINGS.contains(resource)
                || method.equals("POST") && resource.equals("accounts");
        if (identifiers.isEmpty() && !unidentifiedIsSafe) {
            throw MinistraFailure.guardrail("Refusing " + method + " " + resource
                    + " without an identifier: Ministra would apply it to every account, or refuse it");
        }
        for (String id : identifiers) {
            if (id == null || !SAFE_IDENTIFIER.matcher(id).matches()) {
                throw MinistraFailure.guardrail("Identifier '" + id + "' is empty or has characters Ministra"
                        + " cannot take in a URL path");
            }
            if (id.contains(":") && !CANONICAL_MAC.matcher(id).matches()) {
                throw MinistraFailure.guardrail("Identifier '" + id + "' looks like a MAC but is not canonical");
            }
            if (resource.equals("users") && id.contains(":")) {
                throw MinistraFailure.guardrail("users/<x> takes a login; a colon would make Ministra read a MAC");
            }
        }
        List<String> macs = form.get("stb_mac");
        if (macs != null && macs.stream().anyMatch(mac -> !mac.isEmpty() && !CANONICAL_MAC.matcher(mac).matches())) {
            throw MinistraFailure.guardrail("stb_mac must be empty or canonical XX:XX:XX:XX:XX:XX");
        }
    }

    public static MinistraRequest get(long companyId, String resource, String... identifiers) {
        return new MinistraRequest(companyId, "GET", resource, List.of(identifiers), Map.of());
    }

    public static MinistraRequest write(long companyId, String method, String resource, List<String> identifiers,
                                        Map<String, List<String>> form) {
        return new MinistraRequest(companyId, method, resource, identifiers, form);
    }

    private static Map<String, List<String>> copyOf(Map<String, List<String>> form) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        form.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** For logs: the form's keys only, never its values (they can hold passwords). */
    @Override
    public String toString() {
        return method + " " + resource + (identifiers.isEmpty() ? "" : "/" + String.join(",", identifiers))
                + " fields=" + form.keySet();
    }
}
