package dev.ministramanager.imports;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.Resources;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Onboarding a company whose subscribers are in Ministra already, against the simulator over HTTP: a dry run that
 * counts and changes nothing, a real run that adopts exactly the accounts we do not know and reports the rest, and a
 * job whose node stops mid-way, resumed by another node without any row applied twice.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class MinistraImportTest {

    private static final String ADMIN = ImportFixture.ADMIN;
    private static final Map<String, String> SETTINGS = Map.of("mm.status.refresh-enabled", "false",
            "mm.imports.chunk-size", "100", "mm.imports.lease", "2s", "mm.imports.resume-interval", "500ms");
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static ImportFixture fixture;
    private static int companies;

    @BeforeAll
    static void start() {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, SETTINGS);
        fixture = new ImportFixture(service, database);
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    /**
     * 5,000 Ministra rows: 4,800 subscribers on plan basic (100 of them ours already, 50 of those drifted), 60 on
     * premium (archived here), 40 on legacy (unknown here) and 100 boxes that registered themselves (no login).
     */
    private static long onboardingCompany(MinistraSimulator ministra) {
        ImportFixture.withLegacyPlan(ministra);
        long company = fixture.company("Onboarded ISP " + (++companies), ministra.apiBaseUrl());
        ministra.loadAccounts(4800, "sub");
        for (int i = 1; i <= 100; i++) {
            ImportFixture.inMinistra(ministra, (i <= 60 ? "premium" : "legacy") + i, i <= 60 ? "premium" : "legacy",
                    String.format("02:00:00:00:01:%02X", i));
            ministra.devices().register(String.format("02:00:00:00:02:%02X", i), "SN" + i, "MAG250", "2.20", null);
        }
        for (int i = 1; i <= 100; i++) {
            fixture.ours(company, "sub" + i, String.format("00:1A:79:00:00:%02X", i), i <= 50 ? null : "Drifted " + i);
        }
        return company;
    }

    @Test
    void adoptsExactlyTheAccountsWeDoNotKnowAndReportsTheRest(MinistraSimulator ministra) {
        long company = onboardingCompany(ministra);
        int writes = ministra.writeLog().size();

        ApiAnswer dry = service.post("/companies/" + company + "/imports/ministra?dryRun=true", ADMIN, null);
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        assertThat(dry.json().get("rowsRead").asLong()).isEqualTo(5000);
        assertThat(dry.json().get("adopted").asLong()).isEqualTo(4700);
        assertThat(dry.json().get("compared").asLong()).isEqualTo(100);
        assertThat(dry.json().get("withDifferences").asLong()).isEqualTo(50);
        assertThat(dry.json().get("refused").asLong()).isEqualTo(200);
        assertThat(dry.json().get("refusedByField").get("tariff").asLong()).isEqualTo(100);
        assertThat(dry.json().get("refusedByField").get("login").asLong()).isEqualTo(100);
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isEqualTo(100);
        assertThat(database.number("SELECT COUNT(*) FROM import_job WHERE company_id = ?", company)).isZero();

        ApiAnswer started = service.post("/companies/" + company + "/imports/ministra", ADMIN, null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long jobId = started.json().get("id").asLong();
        assertThat(started.header("Location")).isEqualTo("/api/v1/imports/" + jobId);
        JsonNode job = fixture.finished(jobId, Duration.ofMinutes(3));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("rowsRead").asLong()).isEqualTo(5000);
        assertThat(progress.get("adopted").asLong()).isEqualTo(4700);
        assertThat(progress.get("compared").asLong()).isEqualTo(100);
        assertThat(progress.get("refused").asLong()).isEqualTo(200);
        assertThat(progress.get("created").asLong()).isZero();

        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isEqualTo(4800);
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ? AND (login LIKE 'premium%'"
                + " OR login LIKE 'legacy%' OR tariff_plan_id IS NULL)", company)).isZero();
        assertThat(database.number("SELECT COUNT(*) FROM account a JOIN account_push p ON p.account_id = a.id"
                + " WHERE a.company_id = ? AND p.state = 'synced'", company)).isEqualTo(4800);
        assertThat(database.rows("SELECT full_name, stb_mac FROM account WHERE company_id = ? AND login = 'sub77'",
                company).get(0)).containsEntry("full_name", "Drifted 77").containsEntry("stb_mac",
                "00:1A:79:00:00:4D");
        assertThat(database.rows("SELECT stb_mac, status FROM account WHERE company_id = ? AND login = 'sub4000'",
                company).get(0)).containsEntry("stb_mac", "00:1A:79:00:0F:A0").containsEntry("status", "active");
        assertThat(ministra.writeLog()).as("adoption writes nothing to Ministra").hasSize(writes);
        assertThat(database.number("SELECT COUNT(*) FROM audit_event WHERE company_id = ?"
                + " AND action = 'adopt-from-ministra'", company)).isEqualTo(4700);
        assertThat(database.rows("SELECT outcome FROM audit_event WHERE company_id = ? AND action = 'import'",
                company)).singleElement().satisfies(row -> assertThat(row.get("outcome")).isEqualTo("succeeded"));

        ApiAnswer report = service.get("/imports/" + jobId + "/report", ADMIN);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.contentType()).startsWith("text/csv");
        List<String> lines = Arrays.asList(report.body().split("\r\n"));
        assertThat(lines).hasSize(5001);
        assertThat(lines.get(0)).isEqualTo("line,login,outcome,field,reason");
        assertThat(lines).filteredOn(line -> line.contains(",premium") && line.contains(",refused,tariff,"))
                .hasSize(60).allSatisfy(line -> assertThat(line).contains("archived here"));
        assertThat(lines).filteredOn(line -> line.contains(",legacy") && line.contains(",refused,tariff,"))
                .hasSize(40).allSatisfy(line -> assertThat(line).contains("none of this company's plans"));
        assertThat(lines).filteredOn(line -> line.contains(",refused,login,")).hasSize(100);
        assertThat(lines).filteredOn(line -> line.contains(",sub77,compared,fullName,")).singleElement()
                .satisfies(line -> assertThat(line).contains("Drifted 77"));
        assertThat(lines).filteredOn(line -> line.contains(",compared,,")).hasSize(50);

        ApiAnswer manager = service.post("/companies/" + company + "/imports/ministra?dryRun=true",
                user("import-manager-" + companies, "manager", company), null);
        assertThat(manager.status()).isEqualTo(403);
    }

    @Test
    void ministrasEndDateBecomesTheExpiryWhereItsBillingReportsOne(MinistraSimulator ministra) {
        ministra.internalBilling(true);
        long company = fixture.company("Billed ISP " + (++companies), ministra.apiBaseUrl());
        ImportFixture.inMinistra(ministra, Map.of("login", "paid", "account_number", "paid", "tariff_plan", "basic",
                "stb_mac", "02:00:00:00:03:01", "end_date", "2027-01-31 23:59:59"));
        // no end_date given: Ministra reports its zero date, "no expiry"
        ImportFixture.inMinistra(ministra, "unlimited", "basic", "02:00:00:00:03:02");
        ImportFixture.inMinistra(ministra, Map.of("login", "known", "account_number", "known", "tariff_plan", "basic",
                "stb_mac", "02:00:00:00:03:03", "end_date", "2027-06-30 00:00:00"));
        fixture.ours(company, "known", "02:00:00:00:03:03", null);
        assertThat(ministra.accountsSnapshot()).filteredOn(row -> "unlimited".equals(row.get("login")))
                .singleElement().satisfies(row -> assertThat(String.valueOf(row.get("end_date")))
                        .startsWith("0000-00-00"));

        ApiAnswer started = service.post("/companies/" + company + "/imports/ministra", ADMIN, null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long jobId = started.json().get("id").asLong();
        JsonNode job = fixture.finished(jobId, Duration.ofMinutes(1));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("progress").get("adopted").asLong()).isEqualTo(2);
        assertThat(job.get("progress").get("compared").asLong()).isEqualTo(1);

        // Ministra's time zone is UTC here (mm.accounts.ministra-time-zone)
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ? AND login = 'paid'"
                + " AND expires_at = TIMESTAMP WITH TIME ZONE '2027-01-31 23:59:59+00:00'", company)).isEqualTo(1);
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ? AND login = 'unlimited'"
                + " AND expires_at IS NULL", company)).isEqualTo(1);
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ? AND login = 'known'"
                + " AND expires_at IS NULL", company)).as("a known account is not overwritten").isEqualTo(1);
        assertThat(database.number("SELECT COUNT(*) FROM account a JOIN account_push p ON p.account_id = a.id"
                + " WHERE a.company_id = ? AND a.login = 'paid' AND p.state = 'synced'"
                + " AND p.pushed_version = a.version", company)).as("Ministra has the expiry: nothing to push")
                .isEqualTo(1);
        assertThat(database.rows("SELECT details FROM audit_event WHERE company_id = ?"
                + " AND action = 'adopt-from-ministra' AND subject_id = 'paid'", company)).singleElement()
                .satisfies(row -> assertThat(String.valueOf(row.get("details")))
                        .contains("\"expiresAt\":\"2027-01-31T23:59:59Z\""));
        assertThat(service.get("/imports/" + jobId + "/report", ADMIN).body())
                .contains(",known,compared,expiresAt,\"expiresAt: ours '', Ministra's '2027-06-30 00:00:00'\"");
    }

    @Test
    void anImportWhoseNodeStopsIsResumedByAnotherWithoutDuplicates(MinistraSimulator ministra) {
        long company = fixture.company("Resumed ISP " + (++companies), ministra.apiBaseUrl());
        ministra.loadAccounts(3000, "resumed");
        // chunks of two rows: a commit every two rows keeps the job running well past the moment the node is told to
        // stop, even on a fast machine and H2 (with chunks of 20 an idle machine finished the job before it stopped);
        // a lease of 10 s: the test's own node must not take the job over while this one is still closing (a CI run
        // saw the close take over 2 s after the job had stopped, and the job resumed and finished in that time)
        ServiceUnderTest first = ServiceUnderTest.start(database, Map.of("mm.status.refresh-enabled", "false",
                "mm.imports.chunk-size", "2", "mm.imports.lease", "10s", "mm.imports.resume-interval", "1h"));
        long jobId;
        try {
            ApiAnswer started = first.post("/companies/" + company + "/imports/ministra", ADMIN, null);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            jobId = started.json().get("id").asLong();
            eventually("the first 200 rows imported", Duration.ofMinutes(2),
                    () -> database.number("SELECT checkpoint FROM import_job WHERE id = ?", jobId),
                    checkpoint -> checkpoint >= 200);
        } finally {
            first.close();
        }
        // one statement, so that both numbers are of one moment even if the test's own node resumes the job now
        Map<String, Object> left = database.rows("SELECT state, checkpoint, (SELECT COUNT(*) FROM account"
                + " WHERE company_id = ?) AS accounts FROM import_job WHERE id = ?", company, jobId).get(0);
        assertThat(left.get("state")).as("the stopped node leaves the job for another").isEqualTo("running");
        long checkpoint = ((Number) left.get("checkpoint")).longValue();
        assertThat(checkpoint).isBetween(200L, 2999L);
        assertThat(((Number) left.get("accounts")).longValue())
                .as("every stored row is an adopted account, nothing more").isEqualTo(checkpoint);

        // the test's service resumes it once the stopped node's lease has run out
        JsonNode job = fixture.finished(jobId, Duration.ofMinutes(3));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("progress").get("adopted").asLong()).isEqualTo(3000);
        assertThat(job.get("progress").get("compared").asLong()).as("no row taken twice").isZero();
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isEqualTo(3000);
        assertThat(database.number("SELECT COUNT(*) FROM import_row WHERE job_id = ?", jobId)).isEqualTo(3000);
        assertThat(database.number("SELECT COUNT(*) FROM audit_event WHERE company_id = ?"
                + " AND action = 'adopt-from-ministra'", company)).isEqualTo(3000);
    }

    private static String user(String username, String role, long companyId) {
        ApiAnswer created = service.post("/users", ADMIN, """
                {"username":"%s","role":"%s","companies":[%d]}""".formatted(username, role, companyId));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }
}
