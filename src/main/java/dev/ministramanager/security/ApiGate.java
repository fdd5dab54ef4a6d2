package dev.ministramanager.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ministramanager.api.ApiResponses.ChallengingProblem;
import dev.ministramanager.api.JsonRequests;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.api.TextRules;
import dev.ministramanager.security.ApiUsers.StoredUser;
import dev.ministramanager.security.RestContracts.Contract;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The one gate every REST request passes before its route runs (the {@code rest-api} route configuration's
 * {@code interceptFrom}): it authenticates the caller, checks the role the verb declares, settles the company scope
 * and reads the typed request body. Routes see only what the gate leaves them:
 * <ul>
 * <li>variable {@code principal} and {@code actor} (the user name, for the audit trail);</li>
 * <li>variable {@code companyIds}: the companies the caller may see, never empty (for list queries);</li>
 * <li>variable {@code companyId}: the one company the request is about, when the path or the {@code company} query
 * parameter names one the caller may see (a company the caller may not see is answered 404, as if absent), or the
 * caller's only company when they see exactly one and named none. Use {@link #requireCompany} where one is needed.</li>
 * </ul>
 * The raw {@code Authorization} and {@code Cookie} headers and the raw company parameters are removed, so no route can
 * use an unchecked company or pass a credential on. A request without an Authorization header may authenticate with
 * the console's session cookie ({@link ConsoleSessions}); then an unsafe method must carry the session's CSRF token,
 * and the variable {@code consoleSession} holds the session token (for signing out).
 * <p>
 * Over 300 lines on purpose: every check a request passes before a route sees it is here, in the order it runs, so
 * that a reviewer reads the service's whole front door in one file; its parts (authentication, role, company scope)
 * share the exchange's state and make sense only in that order.
 */
public class ApiGate implements Processor {

    public static final String PRINCIPAL = "principal";
    public static final String ACTOR = "actor";
    public static final String COMPANY_IDS = "companyIds";
    public static final String COMPANY_ID = "companyId";
    public static final String CONSOLE_SESSION = "consoleSession";

    /** Compiled once: {@code String.split("\\s+")} compiles its expression on every call. */
    private static final Pattern SCHEME_AND_VALUE = Pattern.compile("\\s+");
    private static final Pattern ISSUED_TOKEN = Pattern.compile("mm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern COMPANY_QUERY = Pattern.compile("(?:^|&)company=([^&]*)");
    /** A company id exactly as written: no sign, no spaces, no trailing characters (a NUL once passed trim()). */
    private static final Pattern COMPANY_ID_TEXT = Pattern.compile("[0-9]{1,18}");
    /** Never empty, so that {@code IN (...)} stays valid SQL; no company has this id. */
    private static final List<Long> NO_COMPANY = List.of(-1L);

    /** Where platform-http puts the client's socket address. */
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final ApiUsers users;
    private final VerifiedCredentials verified;
    private final FailedAuthentications failures;
    private final JsonRequests jsonRequests;
    private final ConsoleSessions sessions;
    private volatile RestContracts contracts;

    public ApiGate(ApiUsers users, VerifiedCredentials verified, FailedAuthentications failures,
                   JsonRequests jsonRequests, ConsoleSessions sessions) {
        this.users = users;
        this.verified = verified;
        this.failures = failures;
        this.jsonRequests = jsonRequests;
        this.sessions = sessions;
    }

    void useContracts(RestContracts contracts) {
        this.contracts = contracts;
    }

    /** Users or tokens changed: forget every remembered verification. */
    public void credentialsChanged() {
        verified.forgetAll();
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Contract contract = contracts.of(exchange.getFromRouteId()).orElseThrow(() ->
                new IllegalStateException("No REST contract for route " + exchange.getFromRouteId()));
        String authorization = message.getHeader("Authorization", String.class);
        String cookies = message.getHeader("Cookie", String.class);
        String csrfToken = message.getHeader(ConsoleSessions.CSRF_HEADER, String.class);
        // one by one: removeHeaders(pattern) compiles the pattern as a regular expression for every header
        message.removeHeader("Authorization");
        message.removeHeader("Cookie");
        message.removeHeader(ConsoleSessions.CSRF_HEADER);
        if (contract.isPublic()) {
            // no caller and no company scope yet (the sign-in), but the same text rules
            checkRequestText(message);
            if (contract.requestType() != null) {
                message.setBody(jsonRequests.read(exchange, contract.requestType()));
            }
            return;
        }

        String sourceAddress = sourceAddress(message);
        boolean noAuthorization = authorization == null || authorization.isBlank();
        Optional<String> sessionToken = noAuthorization ? ConsoleSessions.tokenIn(cookies) : Optional.empty();
        if (noAuthorization && sessionToken.isEmpty() && message.getHeader("X-Requested-With") != null) {
            // the console's own calls: no Basic challenge, which would make the browser open a password dialog
            throw new ProblemException(401, "Unauthorized", "Sign in first.", Map.of());
        }
        ApiPrincipal principal = sessionToken.isPresent()
                ? sessionPrincipal(exchange, sessionToken.get(), csrfToken)
                : authenticate(authorization, sourceAddress);
        if (!principal.role().includes(contract.role())) {
            throw new ProblemException(403, "Forbidden", "This operation needs the role '" + contract.role().id()
                    + "'; user '" + principal.username() + "' has '" + principal.role().id() + "'.", Map.of());
        }
        checkRequestText(message);
        exchange.setVariable(PRINCIPAL, principal);
        exchange.setVariable(ACTOR, principal.username());
        exchange.setVariable(COMPANY_IDS, visibleCompanies(principal));

        String pathCompany = contract.companyInPath() ? message.getHeader(COMPANY_ID, String.class) : null;
        message.removeHeader(COMPANY_ID);
        message.removeHeader("company");
        Optional<String> queryCompany = queryCompany(message.getHeader(Exchange.HTTP_QUERY, String.class));
        if (pathCompany != null && queryCompany.isPresent() && !queryCompany.get().equals(pathCompany)) {
            // a request names its company once; two that differ (or a malformed one) are a client's mistake
            throw ProblemException.invalidField("company", "The company parameter names another company than the"
                    + " path.");
        }
        Optional<String> requestedCompany = Optional.ofNullable(pathCompany).or(() -> queryCompany);
        List<Long> visible = exchange.getVariable(COMPANY_IDS, List.class);
        if (requestedCompany.isPresent()) {
            exchange.setVariable(COMPANY_ID, visibleCompany(visible, requestedCompany.get(), pathCompany != null));
        } else if (visible.size() == 1 && !visible.equals(NO_COMPANY)) {
            exchange.setVariable(COMPANY_ID, visible.get(0));
        }

        if (contract.requestType() != null) {
            message.setBody(jsonRequests.read(exchange, contract.requestType()));
        }
    }

    /**
     * The caller of a read served outside the REST routes (the event stream): its {@code Authorization} header if it
     * sends one, else the console's session cookie, which is how the console's {@code EventSource} is signed in (it
     * cannot send a header). A read changes nothing, so a session needs no CSRF token here.
     */
    public ApiPrincipal authenticateReader(String authorization, String cookies, String sourceAddress) {
        if (authorization == null || authorization.isBlank()) {
            Optional<String> sessionToken = ConsoleSessions.tokenIn(cookies);
            if (sessionToken.isPresent()) {
                return sessionPrincipal(sessionToken.get());
            }
        }
        return authenticate(authorization, sourceAddress);
    }

    private ApiPrincipal sessionPrincipal(String token) {
        return sessions.userIdOf(token).flatMap(users::findById).filter(StoredUser::enabled)
                .map(users::principalOf)
                .orElseThrow(() -> new ProblemException(401, "Unauthorized",
                        "The console session has ended; sign in again.", Map.of()));
    }

    /** 403 unless the caller sees all companies: for operations that are about no one company (creating one). */
    public void requireAllCompanies(ApiPrincipal principal) {
        if (!principal.allCompanies()) {
            throw new ProblemException(403, "Forbidden", "Only a user of all companies may do this; user '"
                    + principal.username() + "' has some companies only.", Map.of());
        }
    }

    /**
     * The one company a request is about: the {@code company} parameter (checked by the gate), else a
     * {@code companyId} in the body (which must be one the caller sees, and agree with the parameter), else the
     * caller's only company.
     */
    @SuppressWarnings("unchecked")
    public static long requireCompany(Exchange exchange, Long fromBody) {
        if (fromBody == null) {
            return requireCompany(exchange);
        }
        if (!exchange.getVariable(COMPANY_IDS, List.class).contains(fromBody)) {
            throw ProblemException.notFound("Company " + fromBody + " not found.");
        }
        Long fromQuery = exchange.getVariable(COMPANY_ID, Long.class);
        if (fromQuery != null && !fromQuery.equals(fromBody)) {
            throw ProblemException.invalidField("companyId", "Field 'companyId' differs from the company"
                    + " parameter.");
        }
        return fromBody;
    }

    /** The request's one company; 400 naming {@code company} when the caller sees several and named none. */
    public static long requireCompany(Exchange exchange) {
        Long companyId = exchange.getVariable(COMPANY_ID, Long.class);
        if (companyId != null) {
            return companyId;
        }
        if (NO_COMPANY.equals(exchange.getVariable(COMPANY_IDS, List.class))) {
            throw ProblemException.notFound("You see no company.");
        }
        throw ProblemException.invalidField("company", "You may see several companies: name one with"
                + " ?company=<id>.");
    }

    /**
     * The companies the caller may see, never empty (as the {@code companyIds} variable), for what Vert.x serves
     * outside the REST DSL (the event stream).
     */
    public List<Long> companiesOf(ApiPrincipal principal) {
        return visibleCompanies(principal);
    }

    /**
     * The company a {@code company} parameter names, checked as the REST API checks it (for the event stream): 400
     * naming {@code company} when it is no company id, 404 when it does not exist or the caller may not see it.
     */
    public long companyNamedBy(ApiPrincipal principal, String raw) {
        return visibleCompany(visibleCompanies(principal), raw, false);
    }

    /**
     * Verifies an API user's name and password exactly as HTTP Basic on any request is verified (the same cache,
     * checks and failed-authentication limits), for the console's sign-in; 401 when they do not match.
     */
    public ApiPrincipal verifyPassword(String username, String password, String sourceAddress) {
        if (username.indexOf(':') >= 0) {
            throw new Unauthenticated("The credentials are not valid.");
        }
        return authenticate("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)), sourceAddress);
    }

    private ApiPrincipal sessionPrincipal(Exchange exchange, String token, String csrfToken) {
        ApiPrincipal principal = sessionPrincipal(token);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        boolean safe = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        if (!safe && !ConsoleSessions.csrfMatches(token, csrfToken)) {
            throw new ProblemException(403, "Forbidden", "A request authenticated by the console's session cookie"
                    + " must carry its CSRF token in the " + ConsoleSessions.CSRF_HEADER + " header.",
                    Map.of("field", ConsoleSessions.CSRF_HEADER));
        }
        exchange.setVariable(CONSOLE_SESSION, token);
        return principal;
    }

    /**
     * The one verification of credentials, for every way in (the REST gate, and any sign-in built on it): a locked
     * user name or source address is 429 before anything is verified; a failure is counted against both; wrong
     * password, unknown user, disabled user and unknown token cost the same (one BCrypt, see {@link ApiUsers}), so
     * the answer time does not tell which.
     *
     * @param sourceAddress the client's IP address as the socket shows it (a proxy's X-Forwarded-For is not trusted)
     */
    public ApiPrincipal authenticate(String authorization, String sourceAddress) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthenticated("Credentials are required: HTTP Basic or a bearer API token.");
        }
        String username = basicUsername(authorization);
        failures.refuseIfLocked(username, sourceAddress);
        Optional<ApiPrincipal> principal = verified.resolve(authorization,
                () -> verify(authorization).map(users::principalOf));
        if (principal.isEmpty()) {
            failures.failed(username, sourceAddress);
            throw new Unauthenticated("The credentials are not valid.");
        }
        failures.succeeded(username);
        return principal.get();
    }

    private static String sourceAddress(Message message) {
        Object address = message.getHeader(REMOTE_ADDRESS);
        message.removeHeader(REMOTE_ADDRESS);
        return address instanceof io.vertx.core.net.SocketAddress socket ? socket.hostAddress()
                : address == null ? null : address.toString();
    }

    /** The user name of HTTP Basic credentials, or null (a bearer token, or not decodable). */
    private static String basicUsername(String authorization) {
        String[] schemeAndValue = SCHEME_AND_VALUE.split(authorization.trim(), 2);
        if (schemeAndValue.length != 2 || !schemeAndValue[0].equalsIgnoreCase("Basic")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(schemeAndValue[1]), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private Optional<StoredUser> verify(String authorization) {
        String[] schemeAndValue = SCHEME_AND_VALUE.split(authorization.trim(), 2);
        if (schemeAndValue.length != 2) {
            return Optional.empty();
        }
        String scheme = schemeAndValue[0];
        String value = schemeAndValue[1];
        if (scheme.equalsIgnoreCase("Bearer")) {
            Matcher issued = ISSUED_TOKEN.matcher(value);
            return issued.matches()
                    ? users.userOfToken(issued.group(1), issued.group(2))
                    : users.userOfToken(ApiUsers.BOOTSTRAP_TOKEN_ID, value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : users.userOfPassword(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return Optional.empty();
    }

    private List<Long> visibleCompanies(ApiPrincipal principal) {
        List<Long> ids = principal.allCompanies() ? users.allCompanyIds() : new ArrayList<>(principal.companyIds());
        return ids.isEmpty() ? NO_COMPANY : ids;
    }

    /**
     * Query parameters and the path, decoded, follow {@link TextRules} (a NUL in a filter value reached PostgreSQL as
     * a 500); a malformed percent-encoding is a 400 too.
     */
    private static void checkRequestText(Message message) {
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        if (path != null) {
            TextRules.checkSingleLine("path", decode("path", path.replace("+", "%2B")));
        }
        checkQueryText(message.getHeader(Exchange.HTTP_QUERY, String.class));
    }

    /**
     * A raw query string's parameters, decoded, follow {@link TextRules}: 400 naming the parameter (for what Vert.x
     * serves outside the REST DSL too: the event stream).
     */
    public static void checkQueryText(String query) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String parameter : query.split("&")) {
            String[] nameAndValue = parameter.split("=", 2);
            String name = decode("query", nameAndValue[0]);
            TextRules.checkSingleLine("query", name);
            TextRules.checkSingleLine(name, nameAndValue.length == 2 ? decode(name, nameAndValue[1]) : "");
        }
    }

    private static String decode(String field, String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw ProblemException.invalidField(field, "'" + field + "' has a malformed percent-encoding.");
        }
    }

    /** The named company when it exists and the caller may see it; 404 otherwise, the same for both. */
    private static Long visibleCompany(List<Long> visible, String raw, boolean fromPath) {
        long id;
        try {
            if (!COMPANY_ID_TEXT.matcher(raw).matches()) {
                throw new NumberFormatException(raw);
            }
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            if (fromPath) {
                throw ProblemException.notFound("Company '" + raw + "' not found.");
            }
            throw ProblemException.invalidField("company", "The company parameter must be a company id.");
        }
        if (!visible.contains(id)) {
            throw ProblemException.notFound("Company " + id + " not found.");
        }
        return id;
    }

    private static Optional<String> queryCompany(String query) {
        if (query == null) {
            return Optional.empty();
        }
        Matcher matcher = COMPANY_QUERY.matcher(query);
        return matcher.find() ? Optional.of(decode("company", matcher.group(1)))
                : Optional.empty();
    }

    /** 401 with the schemes the API accepts. */
    static final class Unauthenticated extends ProblemException implements ChallengingProblem {
        Unauthenticated(String detail) {
            super(401, "Unauthorized", detail, Map.of());
        }

        @Override
        public String challenge() {
            return "Basic realm=\"ministra-manager\", Bearer realm=\"ministra-manager\"";
        }
    }
}
