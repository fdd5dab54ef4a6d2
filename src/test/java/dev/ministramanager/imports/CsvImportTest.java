package dev.ministramanager.imports;

import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
 * A billing export imported as CSV, against the simulator over HTTP: every bad row reported by its line with the
 * field and reason and none of them stored; the good rows created and pushed to Ministra as any create is, and a
 * second export updating them; the file's size limit.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class CsvImportTest {

    private static final String ADMIN = ImportFixture.ADMIN;
    private static TestDatabase database;
    private static ServiceUnderTest service;
    private static ImportFixture fixture;
    private static int companies;

    /** Semicolons, a byte order mark, quoted fields (one with the delimiter, one with a quote), and seven bad rows (the last a package outside its plan). */
    private static final String EXPORT = "\uFEFFlogin;password;fullName;phone;tariff;status;stbMac;customerRef;"
            + "packages\r\n"
            + "alice;s3cret-alice;\"Alice; Example\";+100;basic;active;00:1A:79:AA:00:01;C-1;sport\r\n"
            + "badmac;;Bad Mac;;basic;active;00:1A:79:ZZ:00:02;;\r\n"
            + "gold;;Gold Digger;;gold;active;;;\r\n"
            + "bob;;Bob One;;basic;active;;;\r\n"
            + "Bob;;Bob Two;;basic;active;;;\r\n"
            + "car\u200Bol;;Carol;;basic;active;;;\r\n"
            + "short;;Too Few\r\n"
            + "dave;;\"Dave \"\"The Box\"\"\";;basic;inactive;001A79AA0003;C-2;sport\r\n"
            + "eve;;Eve;;basic;active;;;sport|movies\r\n";

    @BeforeAll
    static void start() {
        database = TestDatabase.forFlows();
        service = ServiceUnderTest.start(database, Map.of("mm.status.refresh-enabled", "false",
                "mm.accounts.push.poll-interval-ms", "100", "mm.imports.csv-max-bytes", "200000"));
        fixture = new ImportFixture(service, database);
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(service, database);
    }

    @Test
    void badRowsAreReportedByLineAndNoneIsStored(MinistraSimulator ministra) {
        long company = fixture.company("Billing ISP " + (++companies), ministra.apiBaseUrl());

        ApiAnswer dry = fixture.postCsv(company, EXPORT, true, ADMIN);
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        assertThat(dry.json().get("rowsRead").asLong()).isEqualTo(9);
        assertThat(dry.json().get("created").asLong()).isEqualTo(2);
        assertThat(dry.json().get("refused").asLong()).isEqualTo(7);
        assertThat(refusals(dry.json())).containsExactly("3 stbMac", "4 tariff", "5 login", "6 login", "7 login",
                "8 columns", "10 packages");
        assertThat(dry.json().get("refusedRows").get(6).get("reason").asText()).contains("'movies'");
        JsonNode invisible = dry.json().get("refusedRows").get(4);
        assertThat(invisible.get("reason").asText()).contains("invisible character").contains("U+200B");
        assertThat(dry.json().get("refusedRows").get(1).get("reason").asText()).contains("'gold'");
        assertThat(dry.json().get("refusedRows").get(2).get("reason").asText()).contains("lines [5, 6]");
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isZero();

        ApiAnswer started = fixture.postCsv(company, EXPORT, false, ADMIN);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long jobId = started.json().get("id").asLong();
        JsonNode job = fixture.finished(jobId, Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("progress").get("created").asLong()).isEqualTo(2);
        assertThat(job.get("progress").get("refused").asLong()).isEqualTo(7);
        assertThat(job.get("progress").get("rowsRead").asLong()).isEqualTo(9);
        assertThat(database.rows("SELECT login, full_name, phone, status, stb_mac, customer_ref FROM account"
                + " WHERE company_id = ? ORDER BY login", company)).containsExactly(
                Map.of("login", "alice", "full_name", "Alice; Example", "phone", "+100", "status", "active",
                        "stb_mac", "00:1A:79:AA:00:01", "customer_ref", "C-1"),
                nullable("dave", "Dave \"The Box\"", "inactive", "00:1A:79:AA:00:03", "C-2"));
        assertThat(database.rows("SELECT login, packages FROM account WHERE company_id = ? ORDER BY login", company))
                .extracting(row -> row.get("login") + " " + row.get("packages"))
                .containsExactly("alice [\"sport\"]", "dave [\"sport\"]");
        assertThat(database.number("SELECT COUNT(*) FROM audit_event WHERE company_id = ? AND subject = 'account'"
                + " AND action = 'create'",
                company)).isEqualTo(2);

        // created as POST /accounts creates: pushed to Ministra by the normal pipeline
        eventually("alice and dave synced", Duration.ofMinutes(1), () -> database.number("SELECT COUNT(*) FROM"
                + " account a JOIN account_push p ON p.account_id = a.id WHERE a.company_id = ? AND p.state = 'synced'",
                company) >= 2);
        assertThat(ministra.accountsSnapshot()).extracting(row -> row.get("login")).contains("alice", "dave");
        assertThat(ministra.passwordHash("alice")).isNotNull();

        ApiAnswer report = service.get("/imports/" + jobId + "/report", ADMIN);
        assertThat(report.body()).contains("2,alice,created,,").contains("8,short,refused,columns,");

        // a comma-separated export without BOM: alice changed, erin new
        ApiAnswer again = fixture.postCsv(company, "login,fullName,tariff\nalice,Alice Married,basic\nerin,Erin,\n",
                false, ADMIN);
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        JsonNode second = fixture.finished(again.json().get("id").asLong(), Duration.ofMinutes(2));
        assertThat(second.get("progress").get("updated").asLong()).isEqualTo(1);
        assertThat(second.get("progress").get("created").asLong()).isEqualTo(1);
        assertThat(database.rows("SELECT full_name, customer_ref FROM account WHERE company_id = ? AND login = 'alice'",
                company).get(0)).containsEntry("full_name", "Alice Married").containsEntry("customer_ref", "C-1");
    }

    @Test
    void anAccountNumberOrMacAnotherAccountHasIsRefusedInTheDryRunAndTheRealRun(MinistraSimulator ministra) {
        long company = fixture.company("Conflicting ISP " + (++companies), ministra.apiBaseUrl());
        fixture.ours(company, "owner", "00:1A:79:BB:00:01", null);
        String export = "login,accountNumber,stbMac\n"
                + "newbie1,OWNER,\n"
                + "newbie2,,00-1a-79-bb-00-01\n"
                + "first,N-1,00:1A:79:CC:00:01\n"
                + "second,n-1,\n"
                + "third,,001A79CC0001\n"
                + "owner,,00:1A:79:BB:00:01\n"
                + "fourth,,\n";

        for (boolean dryRun : new boolean[] {true, false}) {
            ApiAnswer answer = fixture.postCsv(company, export, dryRun, ADMIN);
            JsonNode counts = answer.json();
            if (!dryRun) {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
                counts = fixture.finished(answer.json().get("id").asLong(), Duration.ofMinutes(1)).get("progress");
            }
            assertThat(counts.get("created").asLong()).as("dry run " + dryRun).isEqualTo(2);
            assertThat(counts.get("updated").asLong()).as("dry run " + dryRun).isEqualTo(1);
            assertThat(counts.get("refused").asLong()).as("dry run " + dryRun).isEqualTo(4);
            if (dryRun) {
                assertThat(refusals(counts)).containsExactly("2 accountNumber", "3 stbMac", "5 accountNumber",
                        "6 stbMac");
                assertThat(counts.get("refusedRows").get(0).get("reason").asText()).contains("account 'owner'");
                assertThat(counts.get("refusedRows").get(1).get("reason").asText()).contains("00:1A:79:BB:00:01")
                        .contains("account 'owner'");
                assertThat(counts.get("refusedRows").get(2).get("reason").asText()).contains("line 4");
                assertThat(counts.get("refusedRows").get(3).get("reason").asText()).contains("line 4");
                assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isEqualTo(1);
            }
        }
        assertThat(database.rows("SELECT login, account_number, stb_mac FROM account WHERE company_id = ?"
                + " ORDER BY login", company)).extracting(row -> row.get("login") + " " + row.get("account_number")
                + " " + row.get("stb_mac")).containsExactly("first N-1 00:1A:79:CC:00:01", "fourth fourth null",
                "owner owner 00:1A:79:BB:00:01");
    }

    @Test
    void aFileThatIsNoExportIsRefusedAsAWhole(MinistraSimulator ministra) {
        long company = fixture.company("Refusing ISP " + (++companies), ministra.apiBaseUrl());
        ApiAnswer unknownColumn = fixture.postCsv(company, "login,colour\nalice,red\n", false, ADMIN);
        assertThat(unknownColumn.status()).isEqualTo(400);
        assertThat(unknownColumn.json().get("field").asText()).isEqualTo("colour");
        ApiAnswer tooLarge = fixture.postCsv(company, "login\n" + "a1234567\n".repeat(30_000), true, ADMIN);
        assertThat(tooLarge.status()).isEqualTo(413);
        ApiAnswer viewer = fixture.postCsv(company, "login\nalice\n", true, user("csv-viewer-" + companies,
                "viewer", company));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(database.number("SELECT COUNT(*) FROM import_job WHERE company_id = ?", company)).isZero();
        assertThat(database.number("SELECT COUNT(*) FROM account WHERE company_id = ?", company)).isZero();
    }

    private static Map<String, Object> nullable(String login, String fullName, String status, String mac,
                                                String customerRef) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("login", login);
        row.put("full_name", fullName);
        row.put("phone", null);
        row.put("status", status);
        row.put("stb_mac", mac);
        row.put("customer_ref", customerRef);
        return row;
    }

    private static List<String> refusals(JsonNode answer) {
        return java.util.stream.StreamSupport.stream(answer.get("refusedRows").spliterator(), false)
                .map(row -> row.get("line").asLong() + " " + row.get("field").asText()).toList();
    }

    private static String user(String username, String role, long companyId) {
        ApiAnswer created = service.post("/users", ADMIN, """
                {"username":"%s","role":"%s","companies":[%d]}""".formatted(username, role, companyId));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }
}
