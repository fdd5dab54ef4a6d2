package dev.ministramanager.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.CapturedLogs;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's cookie sessions over real HTTP on PostgreSQL: the cookie's attributes, sessions stored hashed in the
 * database, CSRF on unsafe methods (bearer callers unaffected), a disabled user stopped at once, idle expiry,
 * sign-out, audited failures; and the console's static pages with their Content-Security-Policy.
 */
class ConsoleSessionTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final String PASSWORD = "console pass phrase 42";
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static CapturedLogs logs;
    /** Every session token the tests saw: none may appear in the log. */
    private static final java.util.List<String> TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final long IDLE_SECONDS = 60;
    private static final int SIGN_IN_FAILURES_ALLOWED = 3;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.onPostgres(Map.of("mm.console.session-idle-seconds",
            String.valueOf(IDLE_SECONDS), "mm.security.failed-auth-limit", String.valueOf(SIGN_IN_FAILURES_ALLOWED)))
            .capturingLogs();

    @BeforeAll
    static void start() {
        logs = FLOW.logs();
        database = FLOW.database();
        service = FLOW.service();
    }

    @AfterAll
    static void noPasswordOrSessionTokenWasLogged() {
        assertThat(logs.lineCount()).isPositive();
        assertThat(logs.text()).doesNotContain(PASSWORD).doesNotContain("not the password at all");
        assertThat(TOKENS).isNotEmpty().allSatisfy(token -> assertThat(logs.text()).doesNotContain(token));
    }

    static void createUser(ServiceUnderTest service, String username, String role) {
        ServiceFixture.userOfAllCompanies(service, username, role, PASSWORD);
    }

    /** Signs in and answers the session cookie ("mm_session=…"). */
    static String signIn(ServiceUnderTest service, String username, String password) {
        ApiAnswer answer = service.post("/session", null, """
                {"username":"%s","password":"%s"}""".formatted(username, password));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        String cookie = answer.header("Set-Cookie").split(";")[0];
        TOKENS.add(cookie.substring("mm_session=".length()));
        return cookie;
    }

    private static ApiAnswer withCookie(String method, String path, String cookie, String csrf, String json) {
        HttpRequest.Builder request = service.request(service.api(path), null).header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return service.send(request);
    }

    @Test
    void signingInGivesAnHttpOnlyStrictCookieWhoseTokenIsStoredOnlyHashed() throws Exception {
        createUser(service, "cora.console", "manager");
        ApiAnswer answer = service.post("/session", null, """
                {"username":"Cora.Console","password":"%s"}""".formatted(PASSWORD));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        String setCookie = answer.header("Set-Cookie");
        assertThat(setCookie).startsWith("mm_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").doesNotContain("Secure");
        assertThat(answer.json().get("username").asText()).isEqualTo("cora.console");
        assertThat(answer.json().get("role").asText()).isEqualTo("manager");
        assertThat(answer.json().get("csrfToken").asText()).hasSizeGreaterThan(20);
        assertThat(answer.body()).doesNotContain(PASSWORD);
        String token = setCookie.split(";")[0].substring("mm_session=".length());
        assertThat(answer.body()).doesNotContain(token);

        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("SELECT s.token_hash FROM console_session s"
                     + " JOIN api_user u ON u.id = s.user_id WHERE u.username = 'cora.console'")) {
            ResultSet rows = query.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).hasSize(64).isNotEqualTo(token);
        }
        String cookie = setCookie.split(";")[0];
        assertThat(withCookie("GET", "/companies", cookie, null, null).status()).isEqualTo(200);
        ApiAnswer session = withCookie("GET", "/session", cookie, null, null);
        assertThat(session.json().get("csrfToken").asText()).isEqualTo(answer.json().get("csrfToken").asText());
    }

    @Test
    void behindTlsTheCookieIsSecure() {
        createUser(service, "tls.user", "viewer");
        ApiAnswer answer = service.send(service.request(service.api("/session"), null)
                .header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"username":"tls.user","password":"%s"}""".formatted(PASSWORD))));
        assertThat(answer.header("Set-Cookie")).contains("Secure").contains("HttpOnly");
    }

    @Test
    void aWrongPasswordIs401AuditedWithoutThePasswordAndOpensNoSession() {
        createUser(service, "wrong.pw", "viewer");
        ApiAnswer answer = service.post("/session", null, """
                {"username":"wrong.pw","password":"not the password at all"}""");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Set-Cookie")).isNull();
        assertThat(database.count("SELECT COUNT(*) FROM console_session s JOIN api_user u ON u.id = s.user_id"
                + " WHERE u.username = 'wrong.pw'")).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign-in' AND outcome = 'failed'"
                + " AND subject_id = 'wrong.pw'")).isEqualTo(1);
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%not the password%'")).isZero();
        ApiAnswer missing = service.post("/session", null, "{\"username\":\"wrong.pw\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("password");
    }

    @Test
    void signInsAreLimitedPerUserNameWithEveryFailureAudited() {
        createUser(service, "guessed.user", "viewer");
        for (int i = 0; i < SIGN_IN_FAILURES_ALLOWED; i++) {
            assertThat(service.post("/session", null, """
                    {"username":"guessed.user","password":"guess number %d"}""".formatted(i)).status()).isEqualTo(401);
        }
        // locked: even the right password opens no session until the window ends
        ApiAnswer locked = service.post("/session", null, """
                {"username":"guessed.user","password":"%s"}""".formatted(PASSWORD));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(Long.parseLong(locked.header("Retry-After"))).isPositive();
        assertThat(locked.header("Set-Cookie")).isNull();
        assertThat(database.count("SELECT COUNT(*) FROM console_session s JOIN api_user u ON u.id = s.user_id"
                + " WHERE u.username = 'guessed.user'")).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign-in' AND outcome = 'failed'"
                + " AND subject_id = 'guessed.user'")).isEqualTo(SIGN_IN_FAILURES_ALLOWED + 1);
        assertThat(database.count("SELECT COUNT(*) FROM audit_event WHERE subject = 'authentication'"
                + " AND action = 'lock' AND subject_id = 'user:guessed.user'")).isEqualTo(1);
        // per user name: another user signs in from the same address
        createUser(service, "unguessed.user", "viewer");
        signIn(service, "unguessed.user", PASSWORD);
    }

    @Test
    void unsafeMethodsWithTheCookieNeedTheCsrfTokenButBearerCallersDoNot() {
        createUser(service, "csrf.admin", "admin");
        String cookie = signIn(service, "csrf.admin", PASSWORD);
        String csrf = withCookie("GET", "/session", cookie, null, null).json().get("csrfToken").asText();
        String company = """
                {"name":"%s","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"api","ministraPassword":"pw",
                 "sharedMinistra":true}""";

        ApiAnswer refused = withCookie("POST", "/companies", cookie, null, company.formatted("No Csrf Co"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("field").asText()).isEqualTo("X-CSRF-Token");
        ApiAnswer forged = withCookie("POST", "/companies", cookie, "forged", company.formatted("Forged Co"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(database.count("SELECT COUNT(*) FROM company WHERE name IN ('No Csrf Co', 'Forged Co')")).isZero();

        assertThat(withCookie("POST", "/companies", cookie, csrf, company.formatted("Csrf Co")).status())
                .isEqualTo(201);
        assertThat(service.post("/companies", ADMIN, company.formatted("Bearer Co")).status()).isEqualTo(201);
        assertThat(database.count("SELECT COUNT(*) FROM company WHERE name IN ('Csrf Co', 'Bearer Co')")).isEqualTo(2);
    }

    @Test
    void theServerEnforcesEachRoleOnTheConsolesSessionWhateverTheConsoleShows() {
        createUser(service, "session.viewer", "viewer");
        createUser(service, "session.manager", "manager");
        String viewer = signIn(service, "session.viewer", PASSWORD);
        String manager = signIn(service, "session.manager", PASSWORD);
        String viewerCsrf = withCookie("GET", "/session", viewer, null, null).json().get("csrfToken").asText();
        String managerCsrf = withCookie("GET", "/session", manager, null, null).json().get("csrfToken").asText();

        // a viewer changes nothing
        assertThat(withCookie("POST", "/provision?company=1", viewer, viewerCsrf,
                "{\"login\":\"by.viewer\",\"tariff\":\"basic\"}").status()).isEqualTo(403);
        assertThat(withCookie("PATCH", "/accounts/anyone?company=1", viewer, viewerCsrf, "{\"phone\":\"1\"}")
                .status()).isEqualTo(403);
        // a manager deletes no account, replays no dead letter, manages no company or user
        assertThat(withCookie("DELETE", "/accounts/anyone?company=1", manager, managerCsrf, null).status())
                .isEqualTo(403);
        assertThat(withCookie("POST", "/dead-letters/1/replay", manager, managerCsrf, null).status()).isEqualTo(403);
        assertThat(withCookie("POST", "/dead-letters/replay?company=1", manager, managerCsrf, "{}").status())
                .isEqualTo(403);
        assertThat(withCookie("POST", "/companies", manager, managerCsrf, """
                {"name":"Role Co","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"api","ministraPassword":"pw",
                 "sharedMinistra":true}""").status()).isEqualTo(403);
        assertThat(withCookie("POST", "/users", manager, managerCsrf,
                "{\"username\":\"by.manager\",\"role\":\"admin\",\"allCompanies\":true}").status()).isEqualTo(403);
        assertThat(database.count("SELECT COUNT(*) FROM company WHERE name = 'Role Co'")).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM api_user WHERE username = 'by.manager'")).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM account WHERE login = 'by.viewer'")).isZero();
    }

    @Test
    void aDisabledUsersSessionStopsAtOnce() {
        createUser(service, "soon.disabled", "viewer");
        String cookie = signIn(service, "soon.disabled", PASSWORD);
        assertThat(withCookie("GET", "/companies", cookie, null, null).status()).isEqualTo(200);

        assertThat(service.patch("/users/soon.disabled", ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);
        ApiAnswer after = withCookie("GET", "/companies", cookie, null, null);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).isNull();
    }

    @Test
    void signingOutEndsTheSessionEverywhereAndClearsTheCookie() {
        createUser(service, "leaving.user", "viewer");
        String cookie = signIn(service, "leaving.user", PASSWORD);
        String csrf = withCookie("GET", "/session", cookie, null, null).json().get("csrfToken").asText();

        assertThat(withCookie("DELETE", "/session", cookie, null, null).status()).isEqualTo(403);
        ApiAnswer out = withCookie("DELETE", "/session", cookie, csrf, null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("mm_session=;").contains("Max-Age=0");
        assertThat(database.count("SELECT COUNT(*) FROM console_session s JOIN api_user u ON u.id = s.user_id"
                + " WHERE u.username = 'leaving.user'")).isZero();
        assertThat(withCookie("GET", "/companies", cookie, null, null).status()).isEqualTo(401);
    }

    @Test
    void anIdleSessionExpires() {
        createUser(service, "idle.user", "viewer");
        String cookie = signIn(service, "idle.user", PASSWORD);
        assertThat(withCookie("GET", "/companies", cookie, null, null).status()).isEqualTo(200);

        // the session last used a little more than the idle time ago, instead of waiting that long
        database.update("UPDATE console_session SET last_seen_ms = last_seen_ms - ? WHERE user_id = (SELECT id FROM"
                + " api_user WHERE username = 'idle.user')", (IDLE_SECONDS + 1) * 1000);
        assertThat(withCookie("GET", "/companies", cookie, null, null).status()).isEqualTo(401);
        assertThat(database.count("SELECT COUNT(*) FROM console_session s JOIN api_user u ON u.id = s.user_id"
                + " WHERE u.username = 'idle.user'")).isZero();
    }

    @Test
    void theRootRedirectsToTheConsoleServedWithAStrictContentSecurityPolicy() {
        String root = service.api("").toString().replace("/api/v1", "");
        ApiAnswer redirect = service.send(HttpRequest.newBuilder(java.net.URI.create(root + "/")).GET());
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("/console/");

        ApiAnswer page = service.send(HttpRequest.newBuilder(java.net.URI.create(root + "/console/")).GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).contains("script-src 'self'").doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval").contains("frame-ancestors 'none'");

        ApiAnswer chartLibrary = service.send(HttpRequest.newBuilder(
                java.net.URI.create(root + "/console/vendor/uplot/uPlot.esm.js")).GET());
        assertThat(chartLibrary.status()).isEqualTo(200);
        assertThat(chartLibrary.body()).contains("export");
        assertThat(service.send(HttpRequest.newBuilder(java.net.URI.create(root + "/console/nope.js")).GET())
                .status()).isEqualTo(404);
    }
}
