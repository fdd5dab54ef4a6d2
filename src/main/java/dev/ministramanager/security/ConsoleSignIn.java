package dev.ministramanager.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /session}: the operator console signs in with an API user's name and password (verified by the API gate,
 * as HTTP Basic is) and gets a session cookie; {@code GET} tells the console who it is and its CSRF token;
 * {@code DELETE} signs out. Failed sign-ins are audited with the source address.
 */
public class ConsoleSignIn {

    static final String SET_COOKIE = "Set-Cookie";
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final ApiGate gate;
    private final ConsoleSessions sessions;
    private final AuditTrail audit;

    ConsoleSignIn(ApiGate gate, ConsoleSessions sessions, AuditTrail audit) {
        this.gate = gate;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Map<String, Object> signIn(SignIn credentials, Exchange exchange) {
        String username = credentials.username().trim().toLowerCase();
        String source = sourceOf(exchange.getMessage());
        ApiPrincipal principal;
        try {
            principal = gate.verifyPassword(username, credentials.password(), source);
        } catch (ProblemException refused) {
            audit.record(username, null, "api_user", username, "sign-in", "failed", Map.of("source", source));
            throw refused;
        }
        String token = sessions.open(principal.userId());
        audit.record(principal.username(), null, "api_user", principal.username(), "sign-in", "succeeded",
                Map.of("source", source));
        Message message = exchange.getMessage();
        message.setHeader(SET_COOKIE, ConsoleSessions.cookie(token, behindTls(message)));
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return describe(principal, token);
    }

    public Map<String, Object> current(Exchange exchange) {
        return describe(exchange.getVariable(ApiGate.PRINCIPAL, ApiPrincipal.class),
                exchange.getVariable(ApiGate.CONSOLE_SESSION, String.class));
    }

    /** Ends the cookie's session (on every node); a caller with a token or Basic has no session to end. */
    public void signOut(Exchange exchange) {
        String token = exchange.getVariable(ApiGate.CONSOLE_SESSION, String.class);
        if (token != null) {
            sessions.close(token);
        }
        Message message = exchange.getMessage();
        message.setHeader(SET_COOKIE, ConsoleSessions.expiredCookie(behindTls(message)));
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
    }

    private Map<String, Object> describe(ApiPrincipal principal, String token) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("username", principal.username());
        session.put("role", principal.role().id());
        session.put("allCompanies", principal.allCompanies());
        session.put("companies", principal.companyIds().stream().sorted().toList());
        session.put("csrfToken", token == null ? null : ConsoleSessions.csrfTokenOf(token));
        session.put("idleTimeoutSeconds", sessions.idle().toSeconds());
        return session;
    }

    private static boolean behindTls(Message message) {
        String proto = message.getHeader("X-Forwarded-Proto", String.class);
        return proto != null && List.of(proto.split(",")).get(0).trim().equalsIgnoreCase("https");
    }

    private static String sourceOf(Message message) {
        Object remote = message.getHeader(REMOTE_ADDRESS);
        if (remote instanceof io.vertx.core.net.SocketAddress address) {
            return address.hostAddress();
        }
        return remote == null ? "unknown" : remote.toString();
    }
}
