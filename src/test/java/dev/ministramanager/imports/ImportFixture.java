package dev.ministramanager.imports;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/**
 * Test data for imports: companies through our API with plans as rows (the tariff sync is another capability), our
 * accounts as rows, Ministra's accounts through the simulator's own Ministra API, and the import calls themselves.
 */
final class ImportFixture {

    static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ServiceUnderTest service;
    private final TestDatabase database;

    ImportFixture(ServiceUnderTest service, TestDatabase database) {
        this.service = service;
        this.database = database;
    }

    /** A company with plan basic (active, optional package sport) and premium (archived). */
    long company(String name, String baseUrl) {
        long id = ServiceFixture.company(service, name, baseUrl, "\"connectTimeoutMs\":1000,\"readTimeoutMs\":10000");
        database.update("INSERT INTO tariff_plan (company_id, external_id, remote_id, name, user_default) VALUES"
                + " (?, 'basic', '1', 'Basic', TRUE)", id);
        database.update("INSERT INTO tariff_plan (company_id, external_id, remote_id, name, user_default, archived_at)"
                + " VALUES (?, 'premium', '2', 'Premium', FALSE, CURRENT_TIMESTAMP)", id);
        // as the simulator's catalogue has plan basic: base_tv, and sport to subscribe to on top
        database.update("INSERT INTO tariff_package (tariff_plan_id, external_id, remote_id, name, type, optional,"
                + " position) SELECT id, 'base_tv', '1', 'Base TV', 'tv', FALSE, 0 FROM tariff_plan"
                + " WHERE company_id = ? AND external_id = 'basic'", id);
        database.update("INSERT INTO tariff_package (tariff_plan_id, external_id, remote_id, name, type, optional,"
                + " position) SELECT id, 'sport', '2', 'Sport', 'tv', TRUE, 1 FROM tariff_plan WHERE company_id = ?"
                + " AND external_id = 'basic'", id);
        return id;
    }

    /** Our record of an account, synced (what the accounts capability would have stored and pushed). */
    void ours(long companyId, String login, String mac, String fullName) {
        database.update("INSERT INTO account (company_id, login, login_key, account_number, account_number_key, status,"
                        + " stb_mac, full_name, tariff_plan_id) VALUES (?, ?, ?, ?, ?, 'active', ?, ?,"
                        + " (SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = 'basic'))", companyId,
                login, login.toLowerCase(), login, login.toLowerCase(), mac, fullName, companyId);
        database.update("INSERT INTO account_push (account_id, company_id, state, requested_version, pushed_version,"
                + " pushed_password_version, attempts, next_attempt_at) SELECT id, company_id, 'synced', 1, 1, 0, 0,"
                + " CURRENT_TIMESTAMP FROM account WHERE company_id = ? AND login = ?", companyId, login);
    }

    /** An account in the simulator, created through its Ministra API. */
    static void inMinistra(MinistraSimulator ministra, String login, String plan, String mac) {
        inMinistra(ministra, Map.of("login", login, "account_number", login, "tariff_plan", plan, "stb_mac", mac));
    }

    /** An account in the simulator with these fields, created through its Ministra API. */
    static void inMinistra(MinistraSimulator ministra, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ministra.apiBaseUrl() + "accounts"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ministra:ministra-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        try {
            assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("{\"status\":\"OK\",\"results\":true}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The simulator's seed catalogue plus plan legacy, which no company of ours has. */
    static void withLegacyPlan(MinistraSimulator ministra) {
        ministra.replaceCatalogue("""
                {"packages":[{"id":1,"external_id":"base_tv","name":"Base TV","description":"","type":"tv",
                  "all_services":1,"service_type":"periodic","rent_duration":0,"price":"0.00"}],
                 "plans":[{"id":1,"external_id":"basic","name":"Basic","user_default":1,"packages":[{"id":1,"optional":0}]},
                  {"id":2,"external_id":"premium","name":"Premium","user_default":0,"packages":[{"id":1,"optional":0}]},
                  {"id":3,"external_id":"legacy","name":"Legacy","user_default":0,"packages":[{"id":1,"optional":0}]}]}""");
    }

    ApiAnswer postCsv(long companyId, String csv, boolean dryRun, String token) {
        return service.send(service.request(service.api("/companies/" + companyId + "/imports/csv"
                        + (dryRun ? "?dryRun=true" : "")), token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv.getBytes(StandardCharsets.UTF_8))));
    }

    /** Waits for a job to end and answers it. */
    JsonNode finished(long jobId, Duration within) {
        return eventually("import " + jobId + " ended", within, () -> {
            ApiAnswer job = service.get("/imports/" + jobId, ADMIN);
            assertThat(job.status()).as(job.toString()).isEqualTo(200);
            return job.json();
        }, job -> !job.get("state").asText().equals("running"));
    }
}
