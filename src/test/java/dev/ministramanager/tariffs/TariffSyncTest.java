package dev.ministramanager.tariffs;

import static dev.ministramanager.tariffs.TariffFixtures.ADMIN;
import static dev.ministramanager.tariffs.TariffFixtures.catalogue;
import static dev.ministramanager.tariffs.TariffFixtures.catalogueRows;
import static dev.ministramanager.tariffs.TariffFixtures.companyOn;
import static dev.ministramanager.tariffs.TariffFixtures.count;
import static dev.ministramanager.tariffs.TariffFixtures.rows;
import static dev.ministramanager.tariffs.TariffFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.Fault;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** On-demand tariff sync against the simulator over HTTP, on PostgreSQL: what it copies, archives and refuses. */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class TariffSyncTest {

    private static final AtomicInteger COMPANIES = new AtomicInteger();
    private static final String BASIC_ONLY = catalogue("""
            {"id":1,"external_id":"basic","name":"Basic","user_default":1,"packages":[{"id":1,"optional":0},
             {"id":2,"optional":1}]}""");

    private static TestDatabase database;
    private static ServiceUnderTest service;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of(
            "mm.tariffs.sync-cron", "0 0 0 1 1 ? 2099",
            "mm.tariffs.sync-attempts", "2",
            "mm.tariffs.sync-retry-delay-ms", "50"));

    @BeforeAll
    static void start() {
        database = FLOW.database();
        service = FLOW.service();
    }

    private static long newCompany(MinistraSimulator ministra) {
        return companyOn(service, ministra, "Tariff ISP " + COMPANIES.incrementAndGet());
    }

    @Test
    void aRunLeftRunningByALostNodeIsMarkedAbandonedByTheNextSync(MinistraSimulator ministra) throws Exception {
        long company = newCompany(ministra);
        try (var connection = database.connect();
             var insert = connection.prepareStatement("INSERT INTO tariff_sync_run (company_id, run_trigger, actor,"
                     + " started_at, outcome) VALUES (" + company + ", 'user', 'admin', ?, 'running')")) {
            insert.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(2));
            insert.executeUpdate();
        }

        assertThat(sync(service, company, ADMIN).json().get("outcome").asText()).isEqualTo("succeeded");

        assertThat(rows(database, "SELECT outcome, error_kind FROM tariff_sync_run WHERE company_id = " + company
                + " ORDER BY id")).extracting(row -> row.get("outcome") + "/" + row.get("error_kind"))
                .containsExactly("failed/abandoned", "succeeded/null");
    }

    @Test
    void theFirstSyncCopiesPlansWithTheirPackages(MinistraSimulator ministra) {
        long company = newCompany(ministra);

        ApiAnswer answer = sync(service, company, ADMIN);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode run = answer.json();
        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.get("trigger").asText()).isEqualTo("user");
        assertThat(run.get("actor").asText()).isEqualTo("admin");
        assertThat(run.get("counts").get("created").asInt()).isEqualTo(2);
        assertThat(run.get("finishedAt").isNull()).isFalse();
        List<Map<String, Object>> plans = rows(database, "SELECT external_id, remote_id, name, user_default,"
                + " days_to_expires, archived_at FROM tariff_plan WHERE company_id = " + company
                + " ORDER BY external_id");
        assertThat(plans).extracting(p -> p.get("external_id")).containsExactly("basic", "premium");
        assertThat(plans.get(0)).containsEntry("remote_id", "1").containsEntry("name", "Basic")
                .containsEntry("user_default", true).containsEntry("days_to_expires", null)
                .containsEntry("archived_at", null);
        assertThat(plans.get(1)).containsEntry("remote_id", "2").containsEntry("user_default", false);
        List<Map<String, Object>> premium = rows(database, "SELECT p.external_id, p.remote_id, p.name, p.type,"
                + " p.price, p.optional, p.position FROM tariff_package p JOIN tariff_plan t ON t.id ="
                + " p.tariff_plan_id WHERE t.company_id = " + company + " AND t.external_id = 'premium'"
                + " ORDER BY p.position");
        assertThat(premium).extracting(p -> p.get("external_id")).containsExactly("base_tv", "sport", "movies");
        assertThat(premium.get(2)).containsEntry("remote_id", "3").containsEntry("name", "Movies")
                .containsEntry("type", "video").containsEntry("optional", true).containsEntry("position", 2);
        assertThat((BigDecimal) premium.get(2).get("price")).isEqualByComparingTo("3.00");
        assertThat(premium.get(1)).containsEntry("optional", false);

        JsonNode again = sync(service, company, ADMIN).json();
        assertThat(again.get("counts").get("unchanged").asInt()).isEqualTo(2);
        assertThat(again.get("counts").get("created").asInt()).isZero();
        assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'tariff_sync' AND company_id = "
                + company + " AND actor = 'admin' AND outcome = 'succeeded'")).isEqualTo(2);
    }

    @Test
    void changedNamesPackagesAndDaysToExpireAreUpdated(MinistraSimulator ministra) {
        long company = newCompany(ministra);
        assertThat(sync(service, company, ADMIN).json().get("outcome").asText()).isEqualTo("succeeded");

        ministra.replaceCatalogue(catalogue("""
                {"id":1,"external_id":"basic","name":"Basic Plus","user_default":1,"days_to_expires":30,
                 "packages":[{"id":1,"optional":0},{"id":2,"optional":1},{"id":4,"optional":1}]}""", """
                {"id":2,"external_id":"premium","name":"Premium","user_default":0,
                 "packages":[{"id":1,"optional":0},{"id":2,"optional":0},{"id":3,"optional":1}]}"""));
        JsonNode run = sync(service, company, ADMIN).json();

        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.get("counts").get("updated").asInt()).isEqualTo(1);
        assertThat(run.get("counts").get("unchanged").asInt()).isEqualTo(1);
        Map<String, Object> basic = rows(database, "SELECT id, name, days_to_expires FROM tariff_plan WHERE"
                + " company_id = " + company + " AND external_id = 'basic'").get(0);
        assertThat(basic).containsEntry("name", "Basic Plus").containsEntry("days_to_expires", 30);
        JsonNode shown = service.get("/tariffs/" + basic.get("id"), ADMIN).json();
        assertThat(shown.get("name").asText()).isEqualTo("Basic Plus");
        assertThat(shown.get("daysToExpires").asInt()).isEqualTo(30);
        assertThat(shown.get("packages")).extracting(p -> p.get("externalId").asText())
                .containsExactly("base_tv", "sport", "kids");
        assertThat(shown.get("packages").get(2).get("price").decimalValue()).isEqualByComparingTo("2.50");
        assertThat(shown.get("activeAccounts").asLong()).isZero();
    }

    @Test
    void aRemovedPlanIsArchivedWithItsAccountsAndComesBackWhenListedAgain(MinistraSimulator ministra) {
        long company = newCompany(ministra);
        sync(service, company, ADMIN);
        long premium = (Long) rows(database, "SELECT id FROM tariff_plan WHERE company_id = " + company
                + " AND external_id = 'premium'").get(0).get("id");
        insertAccount(company, premium, "zoe", "active");
        insertAccount(company, premium, "adam", "inactive");

        ministra.replaceCatalogue(BASIC_ONLY);
        JsonNode archived = sync(service, company, ADMIN).json();

        assertThat(archived.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(archived.get("counts").get("archived").asInt()).isEqualTo(1);
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_plan WHERE id = " + premium
                + " AND archived_at IS NOT NULL")).isEqualTo(1);
        assertThat(count(database, "SELECT COUNT(*) FROM account WHERE tariff_plan_id = " + premium)).isEqualTo(2);
        JsonNode accounts = service.get("/tariffs/" + premium + "/accounts?limit=1", ADMIN).json();
        assertThat(accounts.get("tariffStatus").asText()).isEqualTo("archived");
        assertThat(accounts.get("total").asLong()).isEqualTo(2);
        assertThat(accounts.get("items")).hasSize(1);
        assertThat(accounts.get("items").get(0).get("login").asText()).isEqualTo("adam");
        assertThat(service.get("/tariffs/" + premium + "/accounts?offset=1", ADMIN).json().get("items").get(0)
                .get("login").asText()).isEqualTo("zoe");
        assertThat(service.get("/tariffs/" + premium, ADMIN).json().get("activeAccounts").asLong()).isEqualTo(1);
        assertThat(service.get("/tariffs?company=" + company + "&status=archived", ADMIN).json())
                .extracting(p -> p.get("externalId").asText()).containsExactly("premium");
        assertThat(service.get("/tariffs?company=" + company + "&status=active", ADMIN).json())
                .extracting(p -> p.get("externalId").asText()).containsExactly("basic");

        ministra.reset();
        JsonNode restored = sync(service, company, ADMIN).json();

        assertThat(restored.get("counts").get("updated").asInt()).isEqualTo(1);
        assertThat(restored.get("counts").get("archived").asInt()).isZero();
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_plan WHERE id = " + premium
                + " AND archived_at IS NULL")).isEqualTo(1);
        assertThat(count(database, "SELECT COUNT(*) FROM tariff_plan WHERE company_id = " + company)).isEqualTo(2);
    }

    static Stream<Arguments> badAnswers() {
        return Stream.of(
                Arguments.of("empty body", Fault.emptyBody(), "failed", "garbled_answer", 2),
                Arguments.of("PHP warning text", Fault.phpWarning(), "failed", "garbled_answer", 2),
                Arguments.of("truncated body", Fault.truncatedBody(), "failed", "garbled_answer", 2),
                Arguments.of("HTTP 401", Fault.unauthorized(), "failed", "authentication_failed", 1),
                Arguments.of("timeout", Fault.slowResponse(Duration.ofMillis(2000)), "failed", "timeout", 2),
                Arguments.of("HTTP 500", Fault.httpError(500), "failed", "server_error", 2),
                Arguments.of("\"output\" key", Fault.outputKey(), "held", "php_output", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void aBadAnswerChangesNothing(String name, Fault fault, String outcome, String errorKind, int attempts,
                                  MinistraSimulator ministra) {
        long company = newCompany(ministra);
        sync(service, company, ADMIN);
        List<Map<String, Object>> before = catalogueRows(database, company);
        ministra.replaceCatalogue(BASIC_ONLY);
        ministra.faults().add(fault.forResource("tariffs"));

        JsonNode run = sync(service, company, ADMIN).json();

        assertThat(run.get("outcome").asText()).isEqualTo(outcome);
        assertThat(run.get("error").get("kind").asText()).isEqualTo(errorKind);
        assertThat(run.get("attempts").asInt()).isEqualTo(attempts);
        assertThat(run.get("counts").get("archived").asInt()).isZero();
        assertThat(catalogueRows(database, company)).isEqualTo(before);
        assertThat(ministra.requestCount("GET", "tariffs")).isEqualTo(1 + attempts);
        JsonNode history = service.get("/tariffs/sync-runs?company=" + company, ADMIN).json();
        assertThat(history.get(0).get("id").asLong()).isEqualTo(run.get("id").asLong());
        assertThat(history.get(0).get("outcome").asText()).isEqualTo(outcome);
        assertThat(history.get(0).get("error").get("detail").asText()).isNotBlank();
        assertThat(count(database, "SELECT COUNT(*) FROM audit_event WHERE subject = 'tariff_sync' AND subject_id = '"
                + run.get("id").asLong() + "' AND outcome = '" + outcome + "'")).isEqualTo(1);
    }

    @Test
    void aListingThatWouldArchiveMostPlansIsHeld(MinistraSimulator ministra) {
        long company = newCompany(ministra);
        sync(service, company, ADMIN);
        List<Map<String, Object>> before = catalogueRows(database, company);

        ministra.replaceCatalogue(catalogue());
        JsonNode empty = sync(service, company, ADMIN).json();

        assertThat(empty.get("outcome").asText()).isEqualTo("held");
        assertThat(empty.get("error").get("kind").asText()).isEqualTo("archive_share_exceeded");
        assertThat(empty.get("error").get("detail").asText()).contains("2 of 2");
        assertThat(catalogueRows(database, company)).isEqualTo(before);

        ministra.replaceCatalogue(catalogue("""
                {"id":7,"external_id":"gold","name":"Gold","user_default":0,"packages":[]}"""));
        JsonNode replaced = sync(service, company, ADMIN).json();
        assertThat(replaced.get("outcome").asText()).isEqualTo("held");
        assertThat(catalogueRows(database, company)).isEqualTo(before);
    }

    @Test
    void aTransientFailureIsRetriedWithinTheRun(MinistraSimulator ministra) {
        long company = newCompany(ministra);
        ministra.faults().add(Fault.connectionReset().forResource("tariffs").times(1));

        JsonNode run = sync(service, company, ADMIN).json();

        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.get("attempts").asInt()).isEqualTo(2);
        assertThat(run.get("counts").get("created").asInt()).isEqualTo(2);
    }

    @Test
    void metricsShowRunsByOutcomeAndTheLastSuccessfulSync(MinistraSimulator ministra) {
        long company = newCompany(ministra);
        long before = System.currentTimeMillis() / 1000;
        sync(service, company, ADMIN);
        ministra.faults().add(Fault.unauthorized().forResource("tariffs"));
        sync(service, company, ADMIN);

        String metrics = service.send(service.request(service.management("/observe/metrics"), null).GET()).body();

        assertThat(metrics).contains("mm_tariffs_sync_runs_total{company=\"" + company
                + "\",outcome=\"succeeded\",trigger=\"user\"} 1.0");
        assertThat(metrics).contains("mm_tariffs_sync_runs_total{company=\"" + company
                + "\",outcome=\"failed\",trigger=\"user\"} 1.0");
        String gauge = metrics.lines().filter(line -> line.startsWith("mm_tariffs_sync_last_success_seconds{company=\""
                + company + "\"}")).findFirst().orElseThrow();
        double lastSuccess = Double.parseDouble(gauge.substring(gauge.lastIndexOf(' ') + 1));
        assertThat(lastSuccess).isBetween((double) before, before + 60.0);
    }

    private static void insertAccount(long company, long plan, String login, String status) {
        try (java.sql.Connection connection = database.connect()) {
            connection.createStatement().executeUpdate("INSERT INTO account (company_id, login, login_key,"
                    + " account_number, account_number_key, tariff_plan_id, status) VALUES (" + company + ", '"
                    + login + "', '" + login + "', '" + login + "', '" + login + "', " + plan + ", '" + status + "')");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
