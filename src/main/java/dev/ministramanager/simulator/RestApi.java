package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ministra's REST API v1 (the 4.9/5.1 line the wire transcript was recorded from), in the order of API-SPEC §1.8:
 * method to action, Basic auth, resource resolution, dispatch to the resource handlers ({@link AccountsResource},
 * {@link AccountSubscriptionResource}, {@link StbResource}, {@link EventResources}, {@link CatalogueResources})
 * and the JSON envelope around what they answer.
 */
final class RestApi {

    static final String REALM = "Basic realm=\"Stalker API\"";
    static final String UNAUTHORIZED_BODY =
            "{\"status\":\"ERROR\",\"results\":\"\",\"error\":\"401 Unauthorized request\"}";
    static final String SUBSCRIPTION_CHANGED_MESSAGE =
            "Services are updated according to the subscription. The STB will be rebooted.";

    private static final Map<String, String> ACTIONS = Map.of("get", "get", "post", "create", "put", "update",
            "delete", "delete");
    /** Resources of the server (class names lower-cased, as the 5.1 autoloader finds them) and what they support. */
    private static final Map<String, Set<String>> RESOURCES = Map.ofEntries(
            Map.entry("accounts", Set.of("get", "create", "update", "delete")),
            Map.entry("users", Set.of("get", "create", "update", "delete")),
            Map.entry("accountsubscription", Set.of("get", "create", "update", "delete")),
            Map.entry("stb", Set.of("get", "create", "update", "delete")),
            Map.entry("stbmsg", Set.of("create")),
            Map.entry("sendevent", Set.of("create")),
            Map.entry("tariffs", Set.of("get")),
            Map.entry("servicespackage", Set.of("get")),
            // present on the server but not simulated: every action answers "does not support action"
            Map.entry("stbmodules", Set.of()), Map.entry("stbauth", Set.of()), Map.entry("itv", Set.of()),
            Map.entry("itvsubscription", Set.of()), Map.entry("epg", Set.of()), Map.entry("monitoringlinks", Set.of()),
            Map.entry("streamrecorder", Set.of()), Map.entry("tvarchive", Set.of()), Map.entry("tvtmplink", Set.of()));
    private static final String SESSION_CHARS = "0123456789abcdefghijklmnopqrstuv";

    private final MinistraState state;
    private final String apiUser;
    private final String apiPassword;
    private final AccountsResource accounts;
    private final AccountSubscriptionResource accountSubscription;
    private final StbResource stb;
    private final EventResources events;
    private final CatalogueResources catalogue;
    private final SecureRandom random = new SecureRandom();
    /** The last Authorization header that passed: the credentials are fixed, so it keeps passing. */
    private volatile String acceptedAuthorization;

    RestApi(MinistraState state, String apiUser, String apiPassword) {
        this.state = state;
        this.apiUser = apiUser;
        this.apiPassword = apiPassword;
        this.accounts = new AccountsResource(state);
        this.accountSubscription = new AccountSubscriptionResource(state);
        this.stb = new StbResource(state);
        this.events = new EventResources(state);
        this.catalogue = new CatalogueResources(state);
    }

    /**
     * @param method        HTTP method as received
     * @param path          the path as parsed by {@link RequestPath#parse}
     * @param authorization the Authorization header, or null
     * @param body          the raw body
     */
    ApiOutcome handle(String method, RequestPath path, String authorization, byte[] body) {
        if (path.resource() == null) {
            return error(null, List.of(), "Empty resource", "");
        }
        String resource = path.resource();
        List<String> identifiers = path.identifiers();
        List<String> loggedIds = identifiers == null ? List.of() : identifiers;
        String action = ACTIONS.get(method.toLowerCase(Locale.ROOT));
        if (action == null) {
            return error(resource, loggedIds, "Not supported method", "");
        }
        Map<String, Object> data = PhpForm.parse(PhpForm.utf8(body));

        if (!authorized(authorization)) {
            List<Map.Entry<String, String>> headers = List.of(Map.entry("WWW-Authenticate", REALM),
                    Map.entry("Content-Type", ApiResponse.JSON));
            return new ApiOutcome(ApiResponse.json(401, UNAUTHORIZED_BODY, headers), resource, loggedIds, "HTTP 401",
                    "401 Unauthorized request");
        }

        StringBuilder className = new StringBuilder();
        for (String part : resource.split("_", -1)) {
            className.append(ucfirst(part));
        }
        Set<String> supported = RESOURCES.get(className.toString().toLowerCase(Locale.ROOT));
        if (supported == null) {
            return error(resource, loggedIds, "Class file for \"RESTCommand" + ucfirst(className.toString())
                    + "\" not found", "");
        }
        if (!supported.contains(action)) {
            return error(resource, loggedIds, "Resource \"" + resource + "\" does not support action \"" + action
                    + "\"", "");
        }
        ApiCall call = new ApiCall(action, identifiers, data, path.get());
        Object results;
        try {
            synchronized (state) {
                results = dispatch(className.toString().toLowerCase(Locale.ROOT), call);
            }
        } catch (ApiError e) {
            return error(resource, loggedIds, e.getMessage(), call.output.toString());
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", "OK");
        envelope.put("results", results);
        if (!call.output.isEmpty()) {
            envelope.put("output", call.output.toString());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(5);
        if (call.sessionStarted) {
            headers.add(Map.entry("Set-Cookie", "PHPSESSID=" + sessionId() + "; path=/"));
            headers.add(Map.entry("Expires", "Thu, 19 Nov 1981 08:52:00 GMT"));
            headers.add(Map.entry("Cache-Control", "no-store, no-cache, must-revalidate"));
            headers.add(Map.entry("Pragma", "no-cache"));
        }
        headers.add(Map.entry("Content-Type", ApiResponse.JSON));
        return new ApiOutcome(ApiResponse.json(200, encodeOrEmpty(envelope), headers), resource, loggedIds, "OK",
                null);
    }

    private ApiOutcome error(String resource, List<String> identifiers, String message, String output) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", "ERROR");
        envelope.put("results", null);
        envelope.put("error", message);
        if (!output.isEmpty()) {
            envelope.put("output", output);
        }
        return new ApiOutcome(ApiResponse.json(200, encodeOrEmpty(envelope),
                List.of(Map.entry("Content-Type", ApiResponse.JSON))), resource, identifiers, "ERROR", message);
    }

    /** json_encode returns false on invalid UTF-8, and PHP echoes false as nothing. */
    private static String encodeOrEmpty(Object envelope) {
        try {
            return PhpJson.encode(envelope);
        } catch (PhpJson.EncodingFailure invalidUtf8) {
            return "";
        }
    }

    private boolean authorized(String authorization) {
        if (apiUser.isEmpty()) {
            return true;
        }
        if (authorization != null && authorization.equals(acceptedAuthorization)) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean accepted = PhpValues.looseEquals(decoded.substring(0, colon), apiUser)
                && PhpValues.looseEquals(decoded.substring(colon + 1), apiPassword);
        if (accepted) {
            acceptedAuthorization = authorization;
        }
        return accepted;
    }

    private Object dispatch(String handler, ApiCall call) {
        return switch (handler) {
            case "accounts", "users" -> accounts.handle(call, handler.equals("users"));
            case "accountsubscription" -> accountSubscription.handle(call);
            case "stb" -> stb.handle(call);
            case "stbmsg" -> events.stbMsg(call);
            case "sendevent" -> events.sendEvent(call);
            case "tariffs" -> catalogue.tariffs(call);
            case "servicespackage" -> catalogue.servicesPackage(call);
            default -> throw new IllegalStateException("no handler for " + handler);
        };
    }

    private static String ucfirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String sessionId() {
        char[] id = new char[26];
        for (int i = 0; i < id.length; i++) {
            id[i] = SESSION_CHARS.charAt(random.nextInt(SESSION_CHARS.length()));
        }
        return new String(id);
    }
}
