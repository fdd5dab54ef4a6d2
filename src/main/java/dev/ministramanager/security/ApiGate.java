package dev.ministramanager.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ministramanager.http.ApiResponses.ChallengingProblem;
import dev.ministramanager.http.JsonRequests;
import dev.ministramanager.http.ProblemException;
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
 * The raw {@code Authorization} header and the raw company parameters are removed, so no route can use an unchecked
 * company or pass a credential on.
 */
public class ApiGate implements Processor {

    public static final String PRINCIPAL = "principal";
    public static final String ACTOR = "actor";
    public static final String COMPANY_IDS = "companyIds";
    public static final String COMPANY_ID = "companyId";

    private static final Pattern ISSUED_TOKEN = Pattern.compile("mm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern COMPANY_QUERY = Pattern.compile("(?:^|&)company=([^&]*)");
    /** Never empty, so that {@code IN (...)} stays valid SQL; no company has this id. */
    private static final List<Long> NO_COMPANY = List.of(-1L);

    private final ApiUsers users;
    private final VerifiedCredentials verified;
    private final JsonRequests jsonRequests;
    private volatile RestContracts contracts;

    public ApiGate(ApiUsers users, VerifiedCredentials verified, JsonRequests jsonRequests) {
        this.users = users;
        this.verified = verified;
        this.jsonRequests = jsonRequests;
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
        message.removeHeader("Authorization");

        ApiPrincipal principal = authenticate(authorization);
        if (!principal.role().includes(contract.role())) {
            throw new ProblemException(403, "Forbidden", "This operation needs the role '" + contract.role().id()
                    + "'; user '" + principal.username() + "' has '" + principal.role().id() + "'.", Map.of());
        }
        exchange.setVariable(PRINCIPAL, principal);
        exchange.setVariable(ACTOR, principal.username());
        exchange.setVariable(COMPANY_IDS, visibleCompanies(principal));

        String pathCompany = contract.companyInPath() ? message.getHeader(COMPANY_ID, String.class) : null;
        message.removeHeader(COMPANY_ID);
        message.removeHeader("company");
        Optional<String> requestedCompany = Optional.ofNullable(pathCompany)
                .or(() -> queryCompany(message.getHeader(Exchange.HTTP_QUERY, String.class)));
        List<Long> visible = exchange.getVariable(COMPANY_IDS, List.class);
        if (requestedCompany.isPresent()) {
            exchange.setVariable(COMPANY_ID, visibleCompany(principal, requestedCompany.get(), pathCompany != null));
        } else if (visible.size() == 1 && !visible.equals(NO_COMPANY)) {
            exchange.setVariable(COMPANY_ID, visible.get(0));
        }

        if (contract.requestType() != null) {
            message.setBody(jsonRequests.read(exchange, contract.requestType()));
        }
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
     * For what Vert.x serves outside the REST DSL (the event stream): the caller of these credentials, or a 401
     * problem. Blocking (BCrypt on a first use): not on an event loop.
     */
    public ApiPrincipal authenticated(String authorization) {
        return authenticate(authorization);
    }

    /** The companies the caller may see, never empty (as the {@code companyIds} variable). */
    public List<Long> companiesOf(ApiPrincipal principal) {
        return visibleCompanies(principal);
    }

    private ApiPrincipal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthenticated("Credentials are required: HTTP Basic or a bearer API token.");
        }
        return verified.resolve(authorization, () -> verify(authorization).map(users::principalOf))
                .orElseThrow(() -> new Unauthenticated("The credentials are not valid."));
    }

    private Optional<StoredUser> verify(String authorization) {
        String[] schemeAndValue = authorization.trim().split("\\s+", 2);
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

    private static Long visibleCompany(ApiPrincipal principal, String raw, boolean fromPath) {
        long id;
        try {
            id = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            if (fromPath) {
                throw ProblemException.notFound("Company '" + raw + "' not found.");
            }
            throw ProblemException.invalidField("company", "The company parameter must be a company id.");
        }
        if (!principal.sees(id)) {
            throw ProblemException.notFound("Company " + id + " not found.");
        }
        return id;
    }

    private static Optional<String> queryCompany(String query) {
        if (query == null) {
            return Optional.empty();
        }
        Matcher matcher = COMPANY_QUERY.matcher(query);
        return matcher.find() ? Optional.of(java.net.URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8))
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
