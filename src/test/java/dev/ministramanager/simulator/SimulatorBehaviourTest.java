package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Server behaviour from API-SPEC.md that the transcript does not exercise, plus reset, bulk load and catalogue. */
@ExtendWith(SimulatorExtension.class)
class SimulatorBehaviourTest {

    private static final String OK_TRUE = "{\"status\":\"OK\",\"results\":true}";
    private static final String OK_FALSE = "{\"status\":\"OK\",\"results\":false}";

    private static String error(String message) {
        return "{\"status\":\"ERROR\",\"results\":null,\"error\":\"" + message + "\"}";
    }

    @Test
    void passwordIsStoredAsDoubleMd5WithTheRowIdAndNeverReturned(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&password=alice-pw");

        // the DB check of transcript exchange 12: row id 1, password alice-pw
        assertThat(simulator.passwordHash("alice")).isEqualTo("78277472740b163add7d73bd9cc39e9f");
        assertThat(http.get("users/alice").body()).doesNotContain("password", "alice-pw");
    }

    @Test
    void loginAndAccountNumberMatchIgnoringCaseAndTrailingSpaces(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=JDoe&account_number=AB-100");

        assertThat(http.get("users/jdoe").body()).contains("\"login\":\"JDoe\"");
        assertThat(http.get("users/JDOE%20%20").body()).contains("\"login\":\"JDoe\"");
        assertThat(http.get("accounts/ab-100").body()).contains("\"account_number\":\"AB-100\"");
        assertThat(http.post("accounts", "login=jdoe").body()).isEqualTo(error("Login already in use"));
    }

    @Test
    void sharedAccountNumbersFanOutWrites(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=tv1&account_number=500&stb_mac=00:1A:79:00:05:01");
        http.post("accounts", "login=tv2&account_number=500&stb_mac=00:1A:79:00:05:02");

        assertThat(http.put("accounts/500", "status=0").body()).isEqualTo(OK_TRUE);

        assertThat(http.get("accounts/500").body()).contains("\"login\":\"tv1\"", "\"login\":\"tv2\"")
                .doesNotContain("\"status\":1");
        assertThat(simulator.devices().pendingEvents("00:1A:79:00:05:02")).extracting(DeviceEvent::event)
                .containsExactly("cut_off");
        // a login change through a shared account number is refused: it would give every row the same login
        assertThat(http.put("accounts/500", "login=tv1").body()).isEqualTo(error("Login already in use"));
    }

    @Test
    void identifierRulesFirstIdentifierDecides(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=00:1A:79:00:00:01");

        // accounts: 12 hex digits without a colon is an account number
        assertThat(http.get("accounts/001A79000001").body()).isEqualTo(error("Account not found"));
        // stb: 12+ characters are a MAC, colons optional
        assertThat(http.get("stb/001a79000001").body()).contains("\"login\":\"alice\"");
        // mixed list: the first identifier is a MAC, so the account number is looked up as a MAC too
        assertThat(http.get("accounts/00:1A:79:00:00:01,1001").body())
                .isEqualTo(error("One or more identifiers are incorrect"));
        // "accounts//" is one empty identifier: rows with an empty account number
        http.post("accounts", "login=carol");
        assertThat(http.get("accounts//").body()).contains("\"login\":\"carol\"").doesNotContain("alice");
    }

    @Test
    void formBodiesOnlyAndPhpDecoding(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);

        assertThat(http.post("accounts", "login=phone&phone=+380501234567&full_name=J%C3%BCrgen%2FM").body())
                .isEqualTo(OK_TRUE);
        String account = http.get("users/phone").body();
        assertThat(account).contains("\"phone\":\" 380501234567\"", "\"full_name\":\"J\\u00fcrgen\\/M\"");
        assertThat(http.put("accounts/x", "{\"full_name\":\"json\"}").body()).isEqualTo(error("Insert data is empty"));
        assertThat(http.put("accounts", "").body()).isEqualTo(error("HTTP POST data is empty"));
    }

    @Test
    void unknownOrEmptyTariffs(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&tariff_plan=gold&status=1");
        assertThat(http.get("users/alice").body()).contains("\"tariff_plan\":\"basic\"");

        // an empty tariff_plan on PUT is an SQL error after status has already been applied
        String answer = http.put("accounts/1001", "status=0&tariff_plan=").body();
        assertThat(answer).startsWith("{\"status\":\"ERROR\",\"results\":null,\"error\":\"Query failed by reason : "
                + "Unknown column 'tariff_plan' in 'field list' (");
        assertThat(http.get("users/alice").body()).contains("\"status\":0");
    }

    @Test
    void statusTruthinessAndTheStbPostQuirk(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=off&status=false");
        http.post("accounts", "login=zero&status=0");
        assertThat(http.get("users/off").body()).contains("\"status\":1");
        assertThat(http.get("users/zero").body()).contains("\"status\":0");

        String created = http.post("stb", "mac=00:1A:79:00:00:42&status=1").body();
        assertThat(created).isEqualTo("{\"status\":\"OK\",\"results\":{\"mac\":\"00:1A:79:00:00:42\",\"ip\":\"\","
                + "\"ls\":\"\",\"version\":\"\",\"status\":0,\"additional_services_on\":\"1\","
                + "\"last_active\":\"0000-00-00 00:00:00\",\"login\":\"\",\"account_balance\":\"\",\"online\":\"0\"}}");
        assertThat(http.post("stb", "mac=00:1a:79:00:00:42").body()).isEqualTo(error("Stb already exists"));
        assertThat(http.post("stb", "ls=1").body()).isEqualTo(error("Login and password required"));
    }

    @Test
    void subscriptionsWithoutIdentifierTouchEveryRow(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=a&account_number=1&stb_mac=00:1A:79:00:00:0A");
        http.post("accounts", "login=b&account_number=2&stb_mac=00:1A:79:00:00:0B");

        assertThat(http.put("account_subscription", "subscribed[]=sport").body()).isEqualTo(OK_TRUE);
        assertThat(http.get("accounts").body()).contains("\"login\":\"a\"").doesNotContain("\"subscribed\":[]");
        assertThat(http.put("account_subscription", "subscribed[]=sport").body()).isEqualTo(OK_FALSE);
        // a scalar on POST breaks PHP's array functions: warning in "output", nothing done
        String scalar = http.post("account_subscription/1", "subscribed=sport").body();
        assertThat(scalar).startsWith("{\"status\":\"OK\",\"results\":false,\"output\":\"<br \\/>\\n<b>Warning");
    }

    @Test
    void catalogueResourcesCastIdentifiersToIntegers(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        assertThat(http.get("tariffs/1").body()).startsWith("{\"status\":\"OK\",\"results\":{\"id\":\"1\"");
        assertThat(http.get("services_package/basic").body()).startsWith("{\"status\":\"OK\",\"results\":[{");
        assertThat(http.get("services_package/99").body()).isEqualTo("{\"status\":\"OK\",\"results\":null}");
        assertThat(http.post("tariffs", "x=1").body())
                .isEqualTo(error("Resource \\\"tariffs\\\" does not support action \\\"create\\\""));
        assertThat(http.get("reseller").body())
                .isEqualTo(error("Class file for \\\"RESTCommandReseller\\\" not found"));
        assertThat(http.get("SEND_EVENT").body())
                .isEqualTo(error("Resource \\\"SEND_EVENT\\\" does not support action \\\"get\\\""));
    }

    @Test
    void apacheAnswersOutsideTheApi(MinistraSimulator simulator) throws Exception {
        RawHttp.Response encodedSlash = RawHttp.get(simulator.port(), "/stalker_portal/api/accounts/a%2Fb",
                FaultInjectionTest.basic(simulator));
        assertThat(encodedSlash.status()).isEqualTo(404);
        assertThat(RawHttp.get(simulator.port(), "/elsewhere", null).status()).isEqualTo(404);
        RawHttp.Response probe = RawHttp.get(simulator.port(), "/stalker_portal/api/v1/", null);
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.bodyText()).isEqualTo(error("Empty resource"));
    }

    @Test
    void requestLinesAreAsLongAsApacheAllows(MinistraSimulator simulator) throws Exception {
        String prefix = "GET /stalker_portal/api/accounts/";
        String suffix = " HTTP/1.1";
        // a batch read of account numbers filling Apache's 8,190-byte request line to the byte
        StringBuilder batch = new StringBuilder("1");
        while (prefix.length() + batch.length() + suffix.length() < MinistraSimulator.APACHE_LIMIT_REQUEST_LINE) {
            batch.append(batch.length() % 2 == 1 ? "," : "1");
        }
        String longest = prefix + batch + suffix;
        assertThat(longest).hasSize(MinistraSimulator.APACHE_LIMIT_REQUEST_LINE);
        List<Map.Entry<String, String>> credentials = List.of(Map.entry("Authorization",
                FaultInjectionTest.basic(simulator)));
        RawHttp.Response accepted = RawHttp.exchange(simulator.port(), longest, credentials, new byte[0]);
        assertThat(accepted.status()).as(accepted.bodyText()).isEqualTo(200);
        RawHttp.Response tooLong = RawHttp.exchange(simulator.port(), prefix + batch + "1" + suffix, credentials,
                new byte[0]);
        assertThat(tooLong.status()).isEqualTo(414);
    }

    @Test
    void resetRestoresTheSeedAndForgetsEverything(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&stb_mac=00:1A:79:00:00:01");
        http.post("send_event", "event=reboot");
        simulator.faults().add(Fault.latency(java.time.Duration.ofMillis(1), java.time.Duration.ZERO));
        simulator.internalBilling(true);

        assertThat(http.control("POST", "/_sim/reset", null).statusCode()).isEqualTo(200);

        assertThat(simulator.writeLog()).isEmpty();
        assertThat(simulator.faults().list()).isEmpty();
        assertThat(simulator.accountsSnapshot()).isEmpty();
        assertThat(simulator.devices().pendingEvents("00:1A:79:00:00:01")).isEmpty();
        assertThat(http.get("accounts").body()).isEqualTo("{\"status\":\"OK\",\"results\":[]}");
        assertThat(http.get("tariffs").body()).contains("\"external_id\":\"basic\"", "\"external_id\":\"premium\"");
        http.post("accounts", "login=again");
        assertThat(http.get("users/again").body()).doesNotContain("end_date");
        assertThat(http.control("GET", "/_sim/accounts", null).body()).contains("\"id\":1,\"login\":\"again\"");
    }

    @Test
    void bulkLoadedAccountsAreAddressableByLoginAccountNumberAndMac(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        simulator.loadAccounts(1_000, "bulk");

        assertThat(http.get("users/bulk1000").body()).contains("\"login\":\"bulk1000\"",
                "\"account_number\":\"bulk1000\"", "\"stb_mac\":\"00:1A:79:00:03:E8\"", "\"tariff_plan\":\"basic\"",
                "\"status\":1");
        assertThat(http.get("accounts/00:1A:79:00:00:01").body()).contains("\"login\":\"bulk1\"");
        assertThat(http.get("users/bulk1001").body()).isEqualTo(error("Account not found"));
        assertThat(simulator.accountsSnapshot()).hasSize(1_000);
    }

    @Test
    void catalogueFromAJsonFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, """
                {"packages":[{"id":7,"external_id":"kids","name":"Kids","description":"","type":"tv",
                              "all_services":0,"service_type":"periodic","rent_duration":0,"price":"1.50"}],
                 "plans":[{"id":4,"external_id":"family","name":"Family","user_default":1,
                           "packages":[{"id":7,"optional":1}]}]}
                """);
        try (MinistraSimulator own = MinistraSimulator.start(SimulatorSettings.defaults().withPort(0)
                .withCatalogueFile(file))) {
            MinistraHttp http = new MinistraHttp(own);
            assertThat(http.get("tariffs").body()).isEqualTo("{\"status\":\"OK\",\"results\":[{\"id\":\"4\","
                    + "\"external_id\":\"family\",\"name\":\"Family\",\"user_default\":\"1\",\"packages\":[{\"id\":\"7\","
                    + "\"external_id\":\"kids\",\"name\":\"Kids\",\"description\":\"\",\"type\":\"tv\","
                    + "\"all_services\":\"0\",\"service_type\":\"periodic\",\"rent_duration\":\"0\",\"price\":\"1.50\","
                    + "\"optional\":\"1\"}]}]}");
            assertThat(http.get("services_package/7").body()).endsWith("\"services\":[]}}");
            http.post("accounts", "login=kid&account_number=9");
            http.post("account_subscription/9", "subscribed[]=kids");
            assertThat(http.get("accounts/9").body()).contains("\"tariff_plan\":\"family\"",
                    "\"subscribed\":[\"kids\"],\"subscribed_id\":[\"7\"]");
        }
    }

    @Test
    void writeLogFormKeepsArrayNamesAsSent(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("account_subscription/1", "subscribed[]=sport&subscribed[]=movies");

        assertThat(simulator.writeLog().get(0).form())
                .isEqualTo(Map.of("subscribed[]", List.of("sport", "movies")));
    }
}
