package dev.ministramanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/**
 * Test data for status and reconciliation: companies through our API, our accounts as rows in {@code account} (the
 * accounts API is another capability), Ministra's accounts through the simulator's own Ministra API.
 */
final class StatusFixture {

    static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ServiceUnderTest service;
    private final TestDatabase database;

    StatusFixture(ServiceUnderTest service, TestDatabase database) {
        this.service = service;
        this.database = database;
    }

    long company(String name, String baseUrl) {
        long id = ServiceFixture.company(service, name, baseUrl, "\"connectTimeoutMs\":1000,\"readTimeoutMs\":3000");
        try {
            ServiceFixture.seedPlans(database, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    String user(String username, String role, long companyId) {
        return ServiceFixture.user(service, username, role, companyId);
    }

    /** Our record of an account (what the accounts capability would have stored). */
    long ours(long companyId, String login, String accountNumber, String mac, String status, String tariff,
              String fullName, String phone) {
        update("INSERT INTO account (company_id, login, login_key, account_number, account_number_key, status,"
                        + " stb_mac, full_name, phone, tariff_plan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " (SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ?))", companyId, login,
                login.toLowerCase(Locale.ROOT), accountNumber, accountNumber.toLowerCase(Locale.ROOT), status, mac,
                fullName, phone, companyId, tariff);
        long id = number("SELECT id FROM account WHERE company_id = ? AND login = ?", companyId, login);
        update("INSERT INTO account_push (account_id, company_id, state, requested_version, pushed_version,"
                + " pushed_password_version, attempts, next_attempt_at) VALUES (?, ?, 'synced', 1, 1, 0, 0,"
                + " CURRENT_TIMESTAMP)", id, companyId);
        return id;
    }

    long ours(long companyId, String login, String accountNumber, String mac) {
        return ours(companyId, login, accountNumber, mac, "active", "basic", null, null);
    }

    /** An account in the simulator, created through its Ministra API as our push pipeline would. */
    static void inMinistra(MinistraSimulator ministra, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String answer = ministraCall(ministra, "POST", "accounts", form.toString());
        assertThat(answer).as("simulator create").isEqualTo("{\"status\":\"OK\",\"results\":true}");
    }

    static void inMinistra(MinistraSimulator ministra, String login, String accountNumber, String mac) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("login", login);
        fields.put("account_number", accountNumber);
        fields.put("tariff_plan", "basic");
        fields.put("status", "1");
        if (mac != null) {
            fields.put("stb_mac", mac);
        }
        inMinistra(ministra, fields);
    }

    static String ministraCall(MinistraSimulator ministra, String method, String resource, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ministra.apiBaseUrl() + resource))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ministra:ministra-secret".getBytes(StandardCharsets.UTF_8)))
                .method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void update(String sql, Object... arguments) {
        database.update(sql, arguments);
    }

    long number(String sql, Object... arguments) {
        return database.number(sql, arguments);
    }

    List<Map<String, Object>> rows(String sql, Object... arguments) {
        return database.rows(sql, arguments);
    }
}
