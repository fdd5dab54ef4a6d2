package dev.ministramanager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scoped-admin model, every user-management verb against it: an admin of company A sees and manages only users
 * within A, grants only A, never allCompanies and never a role above its own, and creates no company; an admin of
 * all companies manages everyone. Dead letters are read by managers and admins, not viewers. Checked on the stored
 * rows, not only on the status codes.
 */
class AuthorisationModelTest {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void aScopedAdminManagesOnlyItsOwnCompanies(String databaseKind) throws SQLException {
        try (TestDatabase database = databaseKind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of())) {
            long a = company(service, "Alpha");
            long b = company(service, "Beta");
            String scoped = ServiceFixture.user(service, "scoped.admin", "admin", a);
            ServiceFixture.user(service, "a.viewer", "viewer", a);
            String aManager = ServiceFixture.user(service, "a.manager", "manager", a);
            String bManager = ServiceFixture.user(service, "b.manager", "manager", b);
            ServiceFixture.user(service, "ab.viewer", "viewer", a, b);
            String allViewer = ServiceFixture.userOfAllCompanies(service, "all.viewer", "viewer", null);

            // list and read: only the users within company A
            ApiAnswer listed = service.get("/users", scoped);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(usernames(listed.json())).containsExactlyInAnyOrder("scoped.admin", "a.viewer", "a.manager");
            assertThat(usernames(service.get("/users", ADMIN).json())).contains("admin", "b.manager", "ab.viewer",
                    "all.viewer");
            for (String outside : new String[] {"b.manager", "ab.viewer", "all.viewer", "admin"}) {
                assertStatus(service.get("/users/" + outside, scoped), 404);
                assertStatus(service.patch("/users/" + outside, scoped, "{\"role\":\"viewer\"}"), 404);
                assertStatus(service.patch("/users/" + outside, scoped, "{\"enabled\":false}"), 404);
                assertStatus(service.post("/users/" + outside + "/token", scoped, null), 404);
            }
            assertStatus(service.get("/users/a.viewer", scoped), 200);
            assertThat(row(database, "b.manager")).isEqualTo("manager|false|true|" + b + "|1");
            assertThat(row(database, "all.viewer")).isEqualTo("viewer|true|true||1");
            assertThat(row(database, "admin")).startsWith("admin|true|true|");
            assertStatus(service.get("/companies", bManager), 200);

            // itself: no allCompanies, no company of another
            assertForbidden(service.patch("/users/scoped.admin", scoped, "{\"allCompanies\":true}"), "allCompanies");
            assertForbidden(service.patch("/users/scoped.admin", scoped, "{\"companies\":[" + a + "," + b + "]}"),
                    "companies");
            assertThat(row(database, "scoped.admin")).isEqualTo("admin|false|true|" + a + "|1");
            assertStatus(service.get("/companies/" + b, scoped), 404);

            // users within A: changed only within A
            assertForbidden(service.patch("/users/a.viewer", scoped, "{\"companies\":[" + b + "]}"), "companies");
            assertForbidden(service.patch("/users/a.viewer", scoped, "{\"allCompanies\":true}"), "allCompanies");
            assertThat(row(database, "a.viewer")).isEqualTo("viewer|false|true|" + a + "|1");
            assertStatus(service.patch("/users/a.viewer", scoped, "{\"role\":\"manager\",\"enabled\":false}"), 200);
            assertThat(row(database, "a.viewer")).isEqualTo("manager|false|false|" + a + "|1");
            assertStatus(service.post("/users/a.viewer/token", scoped, null), 200);
            assertThat(row(database, "a.viewer")).isEqualTo("manager|false|false|" + a + "|1");

            // new users: only within A
            assertForbidden(service.post("/users", scoped, "{\"username\":\"x.b\",\"role\":\"viewer\",\"companies\":["
                    + b + "]}"), "companies");
            assertForbidden(service.post("/users", scoped, "{\"username\":\"x.all\",\"role\":\"viewer\","
                    + "\"allCompanies\":true}"), "allCompanies");
            assertThat(row(database, "x.b")).isNull();
            assertThat(row(database, "x.all")).isNull();
            assertStatus(service.post("/users", scoped, "{\"username\":\"x.a\",\"role\":\"admin\",\"companies\":["
                    + a + "]}"), 201);
            assertThat(row(database, "x.a")).isEqualTo("admin|false|true|" + a + "|1");

            // a manager or viewer manages no one; a scoped admin creates no company
            assertStatus(service.get("/users", aManager), 403);
            assertStatus(service.patch("/users/a.manager", aManager, "{\"allCompanies\":true}"), 403);
            assertStatus(service.post("/companies", scoped, """
                    {"name":"Gamma","ministraBaseUrl":"http://127.0.0.1:9","ministraUser":"api","ministraPassword":"pw"}
                    """), 403);
            assertThat(count(database, "SELECT COUNT(*) FROM company")).isEqualTo(2);

            // dead letters: managers and admins read them, viewers do not; the OpenAPI document says the same
            JsonNode paths = service.get("/openapi.json", null).json().get("paths");
            for (String path : new String[] {"/dead-letters", "/dead-letters/{id}"}) {
                assertThat(paths.path(path).path("get").path("x-required-role").asText()).as(path)
                        .isEqualTo("manager");
            }
            assertStatus(service.get("/dead-letters", allViewer), 403);
            assertStatus(service.get("/dead-letters/1", allViewer), 403);
            assertStatus(service.get("/dead-letters", aManager), 200);
            assertStatus(service.get("/dead-letters", scoped), 200);

            // the admin of all companies manages everyone
            assertStatus(service.patch("/users/b.manager", ADMIN, "{\"role\":\"viewer\",\"allCompanies\":true}"), 200);
            assertThat(row(database, "b.manager")).isEqualTo("viewer|true|true|" + b + "|1");
        }
    }

    /** Concurrent creates of one user name: one 201, every other a 409 naming username (never a 422 or 500). */
    @org.junit.jupiter.api.Test
    void aRaceForOneUserNameHasOneWinnerAndConflicts() throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of())) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<ApiAnswer>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return service.post("/users", ADMIN, "{\"username\":\"racer\",\"role\":\"viewer\"}");
                    }));
                }
                start.countDown();
                int created = 0;
                for (java.util.concurrent.Future<ApiAnswer> future : answers) {
                    ApiAnswer answer = future.get();
                    if (answer.status() == 201) {
                        created++;
                    } else {
                        assertConflictOnUsername(answer);
                    }
                }
                assertThat(created).isEqualTo(1);
                assertThat(count(database, "SELECT COUNT(*) FROM api_user WHERE username = 'racer'")).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void assertConflictOnUsername(ApiAnswer answer) {
        assertStatus(answer, 409);
        assertThat(answer.json().path("field").asText()).isEqualTo("username");
    }

    private static long company(ServiceUnderTest service, String name) {
        return ServiceFixture.company(service, name, "http://127.0.0.1:9/" + name, "");
    }

    private static List<String> usernames(JsonNode users) {
        return StreamSupport.stream(users.spliterator(), false).map(user -> user.get("username").asText()).toList();
    }

    private static void assertStatus(ApiAnswer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        if (status >= 400) {
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
        }
    }

    private static void assertForbidden(ApiAnswer answer, String field) {
        assertStatus(answer, 403);
        assertThat(answer.json().path("field").asText()).isEqualTo(field);
    }

    /** role|allCompanies|enabled|companies|active tokens of a stored user, or null when there is none. */
    private static String row(TestDatabase database, String username) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("SELECT u.role, u.all_companies, u.enabled,"
                     + " (SELECT COUNT(*) FROM api_token t WHERE t.user_id = u.id AND t.revoked_at IS NULL), u.id"
                     + " FROM api_user u WHERE u.username = ?")) {
            query.setString(1, username);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> companies = new ArrayList<>();
                try (PreparedStatement grants = connection.prepareStatement(
                        "SELECT company_id FROM api_user_company WHERE user_id = ? ORDER BY company_id")) {
                    grants.setLong(1, rs.getLong(5));
                    try (ResultSet granted = grants.executeQuery()) {
                        while (granted.next()) {
                            companies.add(granted.getString(1));
                        }
                    }
                }
                return rs.getString(1) + "|" + rs.getBoolean(2) + "|" + rs.getBoolean(3) + "|"
                        + String.join(",", companies) + "|" + rs.getLong(4);
            }
        }
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement()
                .executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
