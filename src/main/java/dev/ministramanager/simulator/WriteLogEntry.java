package dev.ministramanager.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mutating request (POST, PUT or DELETE) to the Ministra API, as the simulator received and answered it. From
 * {@code received} to {@code timestamp} the request was in the simulator's hands: two requests for one account whose
 * spans overlap were sent at once.
 *
 * @param received    when the request arrived (before any latency fault's delay)
 * @param timestamp   when the answer was ready to go out (after the state file was written, if there is one; a
 *                    {@code slow_response} fault delays the answer after this)
 * @param method      HTTP method
 * @param path        request path and query as received (still percent-encoded)
 * @param resource    resource name as it appeared in the path (null when the path had none)
 * @param identifiers identifier list of the path (empty when none)
 * @param form        form fields as sent (names as sent, e.g. {@code subscribed[]}), {@code password} values masked
 * @param result      "OK", "ERROR", "HTTP 401", "HTTP 503", "RESET"... : what the client was told, or would have
 *                    been told without a response-spoiling fault
 * @param error       the error text of an "ERROR" or 401 answer, else null
 * @param fault       the injected fault that shaped the answer (e.g. "empty-body"), else null
 */
public record WriteLogEntry(Instant received, Instant timestamp, String method, String path, String resource,
                            List<String> identifiers, Map<String, List<String>> form, String result, String error,
                            String fault) {

    /** Resources on which "no identifier" means every row of the table (API-SPEC §1.6, §7). */
    private static final Set<String> EVERY_ROW_WITHOUT_IDENTIFIER = Set.of("sendevent", "stbmsg",
            "accountsubscription", "stbmodules", "stbauth", "itvsubscription", "stb");

    public static final String MASK = "***";

    /**
     * True when the request addressed a resource where a missing identifier means "every row" and it had no
     * identifier, or an empty one ({@code send_event/}, {@code send_event//}, {@code send_event/,X}).
     */
    public boolean isBroadcast() {
        if (resource == null
                || !EVERY_ROW_WITHOUT_IDENTIFIER.contains(resource.replace("_", "").toLowerCase(Locale.ROOT))) {
            return false;
        }
        return identifiers.isEmpty() || identifiers.contains("");
    }

    /** True when the application executed the request (its answer may still have been spoiled by a fault). */
    public boolean reachedApplication() {
        return result.equals("OK") || result.equals("ERROR");
    }

    public boolean succeeded() {
        return result.equals("OK");
    }

    /** The first value sent for a form field (masked for passwords), or null. */
    public String field(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isFor(String httpMethod, String resourceName) {
        return method.equalsIgnoreCase(httpMethod) && resourceName.equalsIgnoreCase(resource);
    }
}
