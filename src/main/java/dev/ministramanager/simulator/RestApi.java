package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ministra's REST API v1 (the 4.9/5.1 line the wire transcript was recorded from): request parsing, Basic auth,
 * resource resolution, the handlers of the billing-relevant resources and the JSON envelope, in the order of
 * API-SPEC §1.8.
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
    private static final List<String> ACCOUNT_FIELDS = List.of("login", "password", "full_name", "phone",
            "account_number", "tariff_plan", "status", "stb_mac", "comment", "end_date", "account_balance");
    private static final List<String> STB_FIELDS = List.of("mac", "login", "password", "status",
            "additional_services_on", "ls", "end_date", "account_balance");
    private static final Pattern DATE_TIME =
            Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?)?");
    private static final String SESSION_CHARS = "0123456789abcdefghijklmnopqrstuv";

    private final MinistraState state;
    private final String apiUser;
    private final String apiPassword;
    private final SecureRandom random = new SecureRandom();
    /** The last Authorization header that passed: the credentials are fixed, so it keeps passing. */
    private volatile String acceptedAuthorization;

    RestApi(MinistraState state, String apiUser, String apiPassword) {
        this.state = state;
        this.apiUser = apiUser;
        this.apiPassword = apiPassword;
    }

    /** Thrown by a handler: the envelope becomes {@code {"status":"ERROR","results":null,"error":...}}. */
    private static final class ApiError extends RuntimeException {
        ApiError(String message) {
            super(message, null, false, false);
        }
    }

    /** Per-request state that PHP would keep in globals. */
    private static final class Call {
        final String method;
        final String action;
        final String resource;
        final List<String> identifiers;
        final Map<String, Object> data;
        final Map<String, Object> query;
        final StringBuilder output = new StringBuilder();
        boolean sessionStarted;

        Call(String method, String action, String resource, List<String> identifiers, Map<String, Object> data,
             Map<String, Object> query) {
            this.method = method;
            this.action = action;
            this.resource = resource;
            this.identifiers = identifiers;
            this.data = data;
            this.query = query;
        }

        int idCount() {
            return identifiers == null ? 0 : identifiers.size();
        }

        String firstId() {
            return identifiers == null || identifiers.isEmpty() ? null : identifiers.get(0);
        }
    }

    /**
     * @param method        HTTP method as received
     * @param route         the path as parsed by {@link #route}
     * @param authorization the Authorization header, or null
     * @param body          the raw body
     */
    ApiOutcome handle(String method, Route route, String authorization, byte[] body) {
        if (route.resource() == null) {
            return error(null, List.of(), "Empty resource", "");
        }
        String resource = route.resource();
        List<String> identifiers = route.identifiers();
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
        Call call = new Call(method, action, resource, identifiers, data, route.get());
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

    /**
     * The path as RESTRequest sees it.
     *
     * @param get         PHP's {@code $_GET}: {@code q} plus the original query string
     * @param resource    piece 0, or null for "Empty resource"
     * @param identifiers piece 1 split on commas, or null when there is no piece 1
     */
    record Route(Map<String, Object> get, String resource, List<String> identifiers) {
    }

    /** Apache decodes the path and hands it to PHP as the query parameter q, followed by the original query. */
    static Route route(String entryRelative, String query) {
        String decodedPath = entryRelative.indexOf('%') < 0 ? entryRelative
                : PhpForm.utf8(percentDecode(entryRelative));
        Map<String, Object> get = PhpForm.parse("q=" + decodedPath + (query == null ? "" : "&" + query));
        Object q = get.get("q");
        if (PhpValues.isEmpty(q)) {
            return new Route(get, null, null);
        }
        List<String> params = new ArrayList<>(Arrays.asList(PhpValues.string(q).split("/", -1)));
        if (PhpValues.isEmpty(params.get(params.size() - 1))) {
            params.remove(params.size() - 1);
        }
        if (params.isEmpty()) {
            return new Route(get, null, null);
        }
        return new Route(get, params.get(0), params.size() > 1 ? List.of(params.get(1).split(",", -1)) : null);
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

    private Object dispatch(String handler, Call call) {
        return switch (handler) {
            case "accounts", "users" -> accounts(call, handler.equals("users"));
            case "accountsubscription" -> accountSubscription(call);
            case "stb" -> stb(call);
            case "stbmsg" -> stbMsg(call);
            case "sendevent" -> sendEvent(call);
            case "tariffs" -> tariffs(call);
            case "servicespackage" -> servicesPackage(call);
            default -> throw new IllegalStateException("no handler for " + handler);
        };
    }

    // ---- accounts / users ----

    private Object accounts(Call call, boolean byLogin) {
        return switch (call.action) {
            case "get" -> {
                List<Object> accounts = getAccounts(call, byLogin);
                yield byLogin && !accounts.isEmpty() ? accounts.get(0) : accounts;
            }
            case "create" -> createAccount(call);
            case "update" -> updateAccounts(call, byLogin);
            default -> deleteAccounts(call, byLogin);
        };
    }

    private List<Account> accountRows(Call call, boolean byLogin) {
        String first = call.firstId();
        if (!PhpValues.isEmpty(first) && utf8Length(first) >= 12 && first.indexOf(':') > 0) {
            return state.findByMacs(call.identifiers);
        }
        if (call.identifiers == null) {
            return new ArrayList<>(state.all());
        }
        return byLogin ? state.findByLogins(call.identifiers) : state.findByAccountNumbers(call.identifiers);
    }

    private List<Object> getAccounts(Call call, boolean byLogin) {
        List<Account> rows = accountRows(call, byLogin);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.identifiers != null && call.idCount() > rows.size()) {
            throw new ApiError("One or more identifiers are incorrect");
        }
        List<Object> result = new ArrayList<>(rows.size());
        for (Account row : rows) {
            result.add(accountInfo(row));
        }
        return result;
    }

    /**
     * The preamble of every create and of ACCOUNTS update: an empty body is "HTTP POST data is empty" (also for
     * PUT), a body without any accepted field "Insert data is empty".
     */
    private static Map<String, Object> acceptedFields(Call call, List<String> accepted) {
        if (call.data.isEmpty()) {
            throw new ApiError("HTTP POST data is empty");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : call.data.entrySet()) {
            if (accepted.contains(entry.getKey())) {
                fields.put(entry.getKey(), entry.getValue());
            }
        }
        if (fields.isEmpty()) {
            throw new ApiError("Insert data is empty");
        }
        return fields;
    }

    /** Creates normalise a non-empty MAC field, or fail with "Not valid mac address". */
    private static void normalizeMacField(Map<String, Object> fields, String key) {
        if (!PhpValues.isEmpty(fields.get(key))) {
            String mac = MacAddress.normalize(PhpValues.string(fields.get(key)));
            if (mac == null) {
                throw new ApiError("Not valid mac address");
            }
            fields.put(key, mac);
        }
    }

    private Object createAccount(Call call) {
        Map<String, Object> fields = acceptedFields(call, ACCOUNT_FIELDS);
        normalizeMacField(fields, "stb_mac");
        if (PhpValues.isEmpty(fields.get("login"))) {
            throw new ApiError("Login required");
        }
        if (state.firstByLogin(PhpValues.string(fields.get("login"))) != null) {
            throw new ApiError("Login already in use");
        }
        if (!PhpValues.isEmpty(fields.get("stb_mac"))
                && state.firstByMac(PhpValues.string(fields.get("stb_mac"))) != null) {
            throw new ApiError("MAC address already in use");
        }
        Account row = state.insert();
        state.setLogin(row, varchar(fields.get("login"), 64));
        if (fields.containsKey("status")) {
            row.status = PhpValues.isTruthy(fields.get("status")) ? 0 : 1;
        }
        if (fields.containsKey("tariff_plan")) {
            row.tariffPlanId = state.catalogue().planIdByExternalId(PhpValues.string(fields.get("tariff_plan")));
        }
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        applyPlainFields(row, fields);
        if (fields.containsKey("stb_mac")) {
            state.setMac(row, PhpValues.string(fields.get("stb_mac")));
        }
        return true;
    }

    private Object updateAccounts(Call call, boolean byLogin) {
        Map<String, Object> fields = acceptedFields(call, ACCOUNT_FIELDS);
        List<Account> rows = singleIdentifierRows(call, byLogin);
        if (!PhpValues.isEmpty(fields.get("login"))) {
            Account owner = state.firstByLogin(PhpValues.string(fields.get("login")));
            if (owner != null && (owner.id != rows.get(0).id || rows.size() > 1)) {
                throw new ApiError("Login already in use");
            }
        }
        for (Account row : rows) {
            updateAccount(row, fields);
        }
        return true;
    }

    /** User::updateAccount: status (with its event) first, then password, then everything else in one UPDATE. */
    private void updateAccount(Account row, Map<String, Object> fields) {
        if (fields.containsKey("status")) {
            int stored = PhpValues.isTruthy(fields.get("status")) ? 0 : 1;
            if (stored != row.status) {
                row.status = stored;
                state.queueEvent(row, stored == 1 ? "cut_off" : "cut_on", "", 0, 0, 1, 0, "", null);
            }
            if (fields.size() == 1) {
                return;
            }
        }
        boolean planColumnUnknown = fields.containsKey("tariff_plan") && PhpValues.isEmpty(fields.get("tariff_plan"));
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        if (planColumnUnknown) {
            throw new ApiError("Query failed by reason : Unknown column 'tariff_plan' in 'field list' ("
                    + updateStatement(row, fields) + ")");
        }
        if (fields.containsKey("tariff_plan")) {
            row.tariffPlanId = state.catalogue().planIdByExternalId(PhpValues.string(fields.get("tariff_plan")));
        }
        if (fields.containsKey("stb_mac")) {
            String mac = PhpValues.string(fields.get("stb_mac"));
            state.setMac(row, mac);
            if (!mac.isEmpty()) {
                row.accessToken = "";
                row.deviceId = "";
                row.deviceId2 = "";
            }
        }
        if (fields.containsKey("login")) {
            state.setLogin(row, varchar(fields.get("login"), 64));
        }
        applyPlainFields(row, fields);
    }

    private static String updateStatement(Account row, Map<String, Object> fields) {
        StringBuilder sql = new StringBuilder("UPDATE users SET ");
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (field.getKey().equals("status") || field.getKey().equals("password")) {
                continue;
            }
            String column = switch (field.getKey()) {
                case "full_name" -> "fname";
                case "account_number" -> "ls";
                case "stb_mac" -> "mac";
                case "end_date" -> "expire_billing_date";
                default -> field.getKey();
            };
            sql.append(first ? "" : ", ").append('`').append(column).append("`='")
                    .append(PhpValues.string(field.getValue()).replace("'", "\\'")).append('\'');
            first = false;
        }
        return sql.append(" WHERE id='").append(row.id).append('\'').toString();
    }

    private void applyPlainFields(Account row, Map<String, Object> fields) {
        if (fields.containsKey("full_name")) {
            row.fullName = varchar(fields.get("full_name"), 64);
        }
        if (fields.containsKey("phone")) {
            row.phone = varchar(fields.get("phone"), 64);
        }
        if (fields.containsKey("account_number")) {
            state.setAccountNumber(row, varchar(fields.get("account_number"), 64));
        }
        if (fields.containsKey("comment")) {
            row.comment = PhpValues.string(fields.get("comment"));
        }
        if (fields.containsKey("end_date")) {
            row.expireBillingDate = mysqlDateTime(PhpValues.string(fields.get("end_date")));
        }
        if (fields.containsKey("account_balance")) {
            row.accountBalance = varchar(fields.get("account_balance"), 16);
        }
    }

    /** ACCOUNTS/USERS PUT and DELETE: exactly one identifier, which must match (one or more rows). */
    private List<Account> singleIdentifierRows(Call call, boolean byLogin) {
        if (call.idCount() == 0) {
            throw new ApiError("Identifier required");
        }
        List<Account> rows = accountRows(call, byLogin);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.idCount() > 1) {
            throw new ApiError("Only one identifier allowed");
        }
        return rows;
    }

    private Object deleteAccounts(Call call, boolean byLogin) {
        List<Account> rows = singleIdentifierRows(call, byLogin);
        for (Account row : rows) {
            state.delete(row);
        }
        return true;
    }

    Map<String, Object> accountInfo(Account row) {
        Map<String, Object> info = new LinkedHashMap<>(32);
        info.put("login", row.login);
        info.put("full_name", row.fullName);
        info.put("phone", row.phone);
        info.put("account_number", row.accountNumber);
        info.put("tariff_plan", state.catalogue().effectivePlan(row.tariffPlanId)
                .map(Catalogue.TariffPlan::externalId).orElse(null));
        info.put("stb_sn", row.serialNumber);
        info.put("stb_mac", row.mac);
        info.put("stb_type", row.stbType);
        info.put("status", row.status == 0 ? 1 : 0);
        info.put("online", state.isOnline(row) ? "1" : "0");
        info.put("ip", row.ip);
        info.put("version", row.version);
        info.put("comment", row.comment);
        if (state.internalBilling()) {
            info.put("end_date", row.expireBillingDate);
        }
        info.put("account_balance", row.accountBalance);
        info.put("last_active", row.lastActive);
        List<Catalogue.ServicePackage> subscribed = subscribedPackages(row);
        List<String> externalIds = new ArrayList<>(subscribed.size());
        List<String> ids = new ArrayList<>(subscribed.size());
        for (Catalogue.ServicePackage pkg : subscribed) {
            externalIds.add(pkg.externalId());
            ids.add(pkg.id());
        }
        info.put("subscribed", externalIds);
        info.put("subscribed_id", ids);
        return info;
    }

    /** Optional packages of the row's current plan that it is subscribed to, by external id. */
    private List<Catalogue.ServicePackage> subscribedPackages(Account row) {
        if (row.subscribedPackageIds.isEmpty()) {
            return List.of();
        }
        Set<String> subscribed = MinistraState.subscribedSet(row);
        List<Catalogue.ServicePackage> result = new ArrayList<>();
        state.catalogue().effectivePlan(row.tariffPlanId).ifPresent(plan -> {
            for (Catalogue.PlanPackage member : plan.packages()) {
                if (member.optional() && subscribed.contains(member.servicePackage().id())) {
                    result.add(member.servicePackage());
                }
            }
        });
        result.sort(Comparator.comparing(Catalogue.ServicePackage::externalId));
        return result;
    }

    // ---- account_subscription ----

    private List<Account> deviceRows(Call call) {
        String first = call.firstId();
        if (!PhpValues.isEmpty(first) && utf8Length(first) >= 12) {
            return state.findByMacs(call.identifiers);
        }
        if (call.identifiers == null) {
            return new ArrayList<>(state.all());
        }
        return state.findByAccountNumbers(call.identifiers);
    }

    private List<Account> subscriptionRows(Call call) {
        List<Account> rows = deviceRows(call);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.idCount() > 1) {
            throw new ApiError("Only one identifier allowed");
        }
        return rows;
    }

    private Object accountSubscription(Call call) {
        switch (call.action) {
            case "get" -> {
                List<Object> result = new ArrayList<>();
                for (Account row : subscriptionRows(call)) {
                    Map<String, Object> info = accountInfo(row);
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("mac", row.mac.isEmpty() ? null : row.mac);
                    item.put("subscribed", info.get("subscribed"));
                    item.put("subscribed_id", info.get("subscribed_id"));
                    result.add(item);
                }
                return result;
            }
            case "create" -> {
                if (call.data.isEmpty()) {
                    throw new ApiError("HTTP POST data is empty");
                }
                if (!call.data.containsKey("subscribed") && !call.data.containsKey("subscribed_id")) {
                    throw new ApiError("Insert data is empty");
                }
                Object subscribed = call.data.get("subscribed");
                Object subscribedId = call.data.get("subscribed_id");
                boolean result = true;
                for (Account row : subscriptionRows(call)) {
                    List<String> current = new ArrayList<>();
                    List<String> currentIds = new ArrayList<>();
                    for (Catalogue.ServicePackage pkg : subscribedPackages(row)) {
                        current.add(pkg.externalId());
                        currentIds.add(pkg.id());
                    }
                    List<String> given = PhpValues.isEmpty(subscribed) ? null
                            : arrayArgument(call, subscribed, List.of("array_unique", "array_diff"), List.of(1, 2),
                                    List.of(67, 69));
                    List<String> givenIds = PhpValues.isEmpty(subscribedId) ? null
                            : arrayArgument(call, subscribedId, List.of("array_diff"), List.of(2), List.of(70));
                    List<String> subscribe = given == null ? List.of() : given;
                    List<String> subscribeIds = givenIds == null ? List.of() : givenIds;
                    List<String> unsubscribe = given == null ? List.of() : difference(current, given);
                    List<String> unsubscribeIds = givenIds == null ? List.of() : difference(currentIds, givenIds);
                    boolean changed = changeSubscriptions(call, row, subscribe, subscribeIds, unsubscribe,
                            unsubscribeIds);
                    result = result && changed;
                }
                return result;
            }
            case "update" -> {
                if (call.data.isEmpty()) {
                    throw new ApiError("HTTP PUT data is empty");
                }
                if (!call.data.containsKey("subscribed") && !call.data.containsKey("subscribed_id")
                        && !call.data.containsKey("unsubscribed") && !call.data.containsKey("unsubscribed_id")) {
                    throw new ApiError("Insert data is empty");
                }
                List<String> subscribe = scalarOrArray(call.data.get("subscribed"));
                List<String> subscribeIds = arrayOnly(call.data.get("subscribed_id"));
                List<String> unsubscribe = scalarOrArray(call.data.get("unsubscribed"));
                List<String> unsubscribeIds = arrayOnly(call.data.get("unsubscribed_id"));
                boolean result = true;
                for (Account row : subscriptionRows(call)) {
                    boolean changed = changeSubscriptions(call, row, subscribe, subscribeIds, unsubscribe,
                            unsubscribeIds);
                    result = result && changed;
                }
                return result;
            }
            default -> {
                boolean result = true;
                for (Account row : subscriptionRows(call)) {
                    List<String> current = new ArrayList<>();
                    for (Catalogue.ServicePackage pkg : subscribedPackages(row)) {
                        current.add(pkg.externalId());
                    }
                    boolean changed = changeSubscriptions(call, row, List.of(), List.of(), current, List.of());
                    result = result && changed;
                }
                return result;
            }
        }
    }

    /**
     * A POST value that PHP passes to array functions: a scalar makes PHP 5 print one warning per function (captured
     * in the {@code output} key) and get null back, so nothing is done with it.
     *
     * @return the array's values, or null for a scalar
     */
    private static List<String> arrayArgument(Call call, Object value, List<String> functions,
                                              List<Integer> parameters, List<Integer> lines) {
        if (value instanceof Map<?, ?> array) {
            List<String> values = new ArrayList<>();
            for (Object v : array.values()) {
                values.add(PhpValues.string(v));
            }
            return values;
        }
        for (int i = 0; i < functions.size(); i++) {
            call.output.append("<br />\n<b>Warning</b>:  ").append(functions.get(i)).append("() expects parameter ")
                    .append(parameters.get(i)).append(" to be array, string given in <b>/var/www/stalker_portal/"
                            + "server/lib/restapi/v1/restcommandaccountsubscription.class.php</b> on line <b>")
                    .append(lines.get(i)).append("</b><br />\n");
        }
        return null;
    }

    private static List<String> difference(List<String> from, List<String> remove) {
        List<String> result = new ArrayList<>(from);
        result.removeAll(remove);
        return result;
    }

    private static List<String> scalarOrArray(Object value) {
        if (PhpValues.isEmpty(value)) {
            return List.of();
        }
        return value instanceof Map<?, ?> ? arrayOnly(value) : List.of(PhpValues.string(value));
    }

    private static List<String> arrayOnly(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Map<?, ?> array) {
            for (Object v : array.values()) {
                values.add(PhpValues.string(v));
            }
        }
        return values;
    }

    /**
     * User::updateOptionalPackageSubscription: only optional packages of the current plan; each change queues a
     * "message, then reboot" event (replacing unsent ones). True iff something changed.
     */
    private boolean changeSubscriptions(Call call, Account row, List<String> subscribe, List<String> subscribeIds,
                                        List<String> unsubscribe, List<String> unsubscribeIds) {
        Catalogue.TariffPlan plan = state.catalogue().effectivePlan(row.tariffPlanId).orElse(null);
        if (plan == null) {
            return false;
        }
        Set<String> toSubscribe = new LinkedHashSet<>();
        Set<String> toUnsubscribe = new LinkedHashSet<>();
        for (Catalogue.PlanPackage member : plan.packages()) {
            if (!member.optional()) {
                continue;
            }
            Catalogue.ServicePackage pkg = member.servicePackage();
            if (subscribe.contains(pkg.externalId()) || containsId(subscribeIds, pkg.id())) {
                toSubscribe.add(pkg.id());
            }
            if (unsubscribe.contains(pkg.externalId()) || containsId(unsubscribeIds, pkg.id())) {
                toUnsubscribe.add(pkg.id());
            }
        }
        boolean changed = false;
        for (String packageId : toSubscribe) {
            boolean single = state.catalogue().packageById(Long.parseLong(packageId))
                    .map(p -> p.serviceType().equals("single")).orElse(false);
            if (single || !row.subscribedPackageIds.contains(packageId)) {
                row.subscribedPackageIds.add(packageId);
                subscriptionChanged(call, row);
                changed = true;
            }
        }
        for (String packageId : toUnsubscribe) {
            if (row.subscribedPackageIds.removeIf(packageId::equals)) {
                subscriptionChanged(call, row);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean containsId(List<String> ids, String packageId) {
        for (String id : ids) {
            if (PhpValues.intval(id) == Long.parseLong(packageId)) {
                return true;
            }
        }
        return false;
    }

    private void subscriptionChanged(Call call, Account row) {
        state.dropUnsentMessageReboots(row);
        state.queueEvent(row, "send_msg", SUBSCRIPTION_CHANGED_MESSAGE, 1, 1, 2, 0, "",
                state.watchdogTimeout().multipliedBy(2));
        call.sessionStarted = true;
    }

    // ---- stb ----

    private Object stb(Call call) {
        return switch (call.action) {
            case "get" -> stbList(deviceRows(call));
            case "update" -> updateStb(call);
            case "create" -> createStb(call);
            default -> {
                if (call.idCount() == 0) {
                    throw new ApiError("Identifier required");
                }
                List<Account> rows = deviceRows(call);
                if (rows.isEmpty()) {
                    throw new ApiError("STB not found");
                }
                rows.forEach(state::delete);
                yield true;
            }
        };
    }

    private List<Object> stbList(List<Account> rows) {
        List<Object> list = new ArrayList<>(rows.size());
        for (Account row : rows) {
            list.add(stbInfo(row));
        }
        return list;
    }

    Map<String, Object> stbInfo(Account row) {
        Map<String, Object> item = new LinkedHashMap<>(16);
        item.put("mac", row.mac);
        item.put("ip", row.ip);
        item.put("ls", row.accountNumber);
        item.put("version", row.version);
        item.put("status", row.status == 0 ? 1 : 0);
        item.put("additional_services_on", row.additionalServicesOn);
        item.put("last_active", row.lastActive);
        item.put("login", row.login);
        item.put("account_balance", row.accountBalance);
        item.put("online", state.isOnline(row) ? "1" : "0");
        if (state.internalBilling()) {
            item.put("end_date", row.expireBillingDate);
        }
        return item;
    }

    private Object updateStb(Call call) {
        if (call.data.isEmpty()) {
            throw new ApiError("HTTP PUT data is empty");
        }
        boolean hasStatus = call.data.containsKey("status");
        boolean hasReboot = call.data.containsKey("reboot");
        boolean hasServices = call.data.containsKey("additional_services_on");
        boolean hasLs = call.data.containsKey("ls");
        boolean hasEndDate = call.data.get("end_date") != null;
        if (!hasStatus && !hasReboot && !hasServices && !hasLs && !hasEndDate) {
            throw new ApiError("Update data is empty");
        }
        if (call.idCount() == 0 && !state.allowMultipleStbUpdate()) {
            throw new ApiError("Identifier required");
        }
        List<Account> rows = deviceRows(call);
        if (rows.isEmpty()) {
            return false;
        }
        // Stb::updateByUids: queuing the reboot resets the shared query builder's WHERE clause, so the other
        // fields of the same request are written to every row of the table (API-SPEC §3.4)
        List<Account> written = hasReboot && (hasStatus || hasServices || hasLs || hasEndDate)
                ? new ArrayList<>(state.all()) : rows;
        for (Account row : written) {
            if (hasStatus) {
                row.status = PhpValues.isTruthy(call.data.get("status")) ? 0 : 1;
            }
            if (hasServices) {
                row.additionalServicesOn = String.valueOf(PhpValues.intval(call.data.get("additional_services_on")));
            }
            if (hasLs) {
                state.setAccountNumber(row, varchar(call.data.get("ls"), 64));
            }
            if (hasEndDate) {
                row.expireBillingDate = mysqlDateTime(PhpValues.string(call.data.get("end_date")));
            }
        }
        for (Account row : rows) {
            if (hasReboot) {
                state.queueEvent(row, "reboot", "", 0, 0, 1, 0, "", null);
            }
            if (hasStatus) {
                state.queueEvent(row, row.status == 1 ? "cut_off" : "cut_on", "", 0, 0, 1, 0, "", null);
            }
        }
        return stbList(rows);
    }

    private Object createStb(Call call) {
        Map<String, Object> fields = acceptedFields(call, STB_FIELDS);
        normalizeMacField(fields, "mac");
        if (PhpValues.isEmpty(fields.get("mac"))
                && (PhpValues.isEmpty(fields.get("login")) || PhpValues.isEmpty(fields.get("password")))) {
            throw new ApiError("Login and password required");
        }
        if (!PhpValues.isEmpty(fields.get("mac")) && state.firstByMac(PhpValues.string(fields.get("mac"))) != null) {
            throw new ApiError("Stb already exists");
        }
        Account row = state.insert();
        state.setMac(row, PhpValues.string(fields.get("mac")));
        state.setLogin(row, PhpValues.isEmpty(fields.get("login")) && !PhpValues.isEmpty(fields.get("password"))
                ? String.valueOf(row.id) : varchar(fields.get("login"), 64));
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        if (fields.containsKey("status")) {
            // stored as sent, not inverted: status=1 creates a disabled device
            row.status = (int) PhpValues.intval(fields.get("status"));
        }
        if (fields.containsKey("additional_services_on")) {
            row.additionalServicesOn = String.valueOf(PhpValues.intval(fields.get("additional_services_on")));
        }
        if (fields.containsKey("ls")) {
            state.setAccountNumber(row, varchar(fields.get("ls"), 64));
        }
        if (fields.get("end_date") != null) {
            row.expireBillingDate = mysqlDateTime(PhpValues.string(fields.get("end_date")));
        }
        if (fields.containsKey("account_balance")) {
            row.accountBalance = varchar(fields.get("account_balance"), 16);
        }
        Object serial = call.data.containsKey("sn") ? call.data.get("sn") : call.query.get("sn");
        if (serial != null) {
            row.serialNumber = PhpValues.string(serial);
        }
        return stbInfo(row);
    }

    // ---- events ----

    private Object sendEvent(Call call) {
        List<Account> targets = deviceRows(call);
        if (targets.isEmpty() && call.identifiers != null) {
            throw new ApiError("STB not found");
        }
        long ttlSeconds = PhpValues.isTruthy(call.data.get("ttl")) ? PhpValues.intval(call.data.get("ttl")) : 0;
        Duration ttl = ttlSeconds > 0 ? Duration.ofSeconds(ttlSeconds) : null;
        Object event = call.data.get("event");
        String msg = PhpValues.string(call.data.get("msg"));
        String channel = PhpValues.string(call.data.get("channel"));
        switch (event instanceof String name ? name : "") {
            case "send_msg" -> {
                boolean reboot = PhpValues.isTruthy(call.data.get("need_reboot"));
                for (Account row : targets) {
                    if (reboot) {
                        state.dropUnsentMessageReboots(row);
                    }
                    state.queueEvent(row, "send_msg", msg, 1, reboot ? 1 : 0, 2, 0, "", ttl);
                }
            }
            case "send_msg_with_video" -> targets.forEach(row -> state.queueEvent(row, "send_msg_with_video", msg, 1,
                    0, 2, 0, PhpValues.string(call.data.get("video")), ttl));
            case "reboot", "reload_portal", "update_image", "cut_off", "show_menu" ->
                    targets.forEach(row -> state.queueEvent(row, (String) event, "", 0, 0, 1, 0, "", ttl));
            case "update_channels" ->
                    targets.forEach(row -> state.queueEvent(row, "update_subscription", "", 0, 0, 1, 0, "", ttl));
            case "play_channel", "play_radio_channel" ->
                    targets.forEach(row -> state.queueEvent(row, (String) event, channel, 0, 0, 1, 0, "", ttl));
            default -> {
                return false;
            }
        }
        return true;
    }

    private Object stbMsg(Call call) {
        List<Account> targets = deviceRows(call);
        if (targets.isEmpty()) {
            throw new ApiError("Empty stb list");
        }
        Object msg = call.data.get("msg");
        if (PhpValues.isEmpty(msg)) {
            throw new ApiError("Empty msg");
        }
        long ttlSeconds = PhpValues.intval(call.data.get("ttl"));
        Duration ttl = ttlSeconds != 0 ? Duration.ofSeconds(ttlSeconds) : null;
        int autoHide = (int) PhpValues.intval(call.data.get("auto_hide_timeout"));
        for (Account row : targets) {
            state.queueEvent(row, "send_msg", PhpValues.string(msg), 1, 0, 2, autoHide, "", ttl);
        }
        return true;
    }

    // ---- catalogue ----

    private Object tariffs(Call call) {
        return oneOrAll(call, state.catalogue()::planById, state.catalogue().plans(), this::planInfo);
    }

    /**
     * TARIFFS and SERVICES_PACKAGE: the first identifier cast to an integer picks one object (null if missing); 0,
     * which is also what a non-numeric identifier becomes, lists them all.
     */
    private static <T> Object oneOrAll(Call call, LongFunction<Optional<T>> byId, List<T> all,
                                       Function<T, Map<String, Object>> format) {
        long id = call.identifiers == null ? 0 : PhpValues.intval(call.firstId());
        if (id != 0) {
            return byId.apply(id).map(format).orElse(null);
        }
        List<Object> list = new ArrayList<>(all.size());
        for (T item : all) {
            list.add(format.apply(item));
        }
        return list;
    }

    private Map<String, Object> planInfo(Catalogue.TariffPlan plan) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", plan.id());
        info.put("external_id", plan.externalId());
        info.put("name", plan.name());
        info.put("user_default", plan.userDefault());
        if (plan.daysToExpires() != null) {
            info.put("days_to_expires", plan.daysToExpires());
        }
        List<Object> packages = new ArrayList<>();
        for (Catalogue.PlanPackage member : plan.packages()) {
            Map<String, Object> pkg = packageInfo(member.servicePackage());
            pkg.put("optional", member.optional() ? "1" : "0");
            packages.add(pkg);
        }
        info.put("packages", packages);
        return info;
    }

    private static Map<String, Object> packageInfo(Catalogue.ServicePackage pkg) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", pkg.id());
        info.put("external_id", pkg.externalId());
        info.put("name", pkg.name());
        info.put("description", pkg.description());
        info.put("type", pkg.type());
        info.put("all_services", pkg.allServices());
        info.put("service_type", pkg.serviceType());
        info.put("rent_duration", pkg.rentDuration());
        info.put("price", pkg.price());
        return info;
    }

    private Object servicesPackage(Call call) {
        return oneOrAll(call, state.catalogue()::packageById, state.catalogue().packages(),
                RestApi::packageWithServices);
    }

    /** The simulator has no channels, films or modules: a package either covers "all" or lists nothing. */
    private static Map<String, Object> packageWithServices(Catalogue.ServicePackage pkg) {
        Map<String, Object> info = packageInfo(pkg);
        info.put("services", "1".equals(pkg.allServices()) ? "all" : List.of());
        return info;
    }

    // ---- value rules ----

    static String passwordHash(String password, long rowId) {
        return md5(md5(password) + rowId);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JRE", e);
        }
    }

    /** A non-strict MySQL VARCHAR(n): longer values are cut. */
    private static String varchar(Object value, int length) {
        String s = PhpValues.string(value);
        return s.codePointCount(0, s.length()) <= length ? s : s.substring(0, s.offsetByCodePoints(0, length));
    }

    /** A non-strict MySQL DATETIME: a date alone gets midnight, anything unparsable the zero date. */
    static String mysqlDateTime(String value) {
        Matcher m = DATE_TIME.matcher(value.strip());
        if (!m.matches()) {
            return Account.ZERO_DATE;
        }
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
    }

    private static String ucfirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Apache's decoding of the path: {@code %xx} only; {@code +} stays, PHP turns it into a space later. */
    static byte[] percentDecode(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && Character.digit(bytes[i + 1], 16) >= 0
                    && Character.digit(bytes[i + 2], 16) >= 0) {
                out[n++] = (byte) (Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out[n++] = bytes[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private String sessionId() {
        char[] id = new char[26];
        for (int i = 0; i < id.length; i++) {
            id[i] = SESSION_CHARS.charAt(random.nextInt(SESSION_CHARS.length()));
        }
        return new String(id);
    }
}
