package dev.ministramanager.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ServiceFixture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up most flow tests share, once per test class: a database of its own ({@link TestDatabase#forFlows()}:
 * PostgreSQL, or H2 in the h2 run), the whole service on it, and companies on the class's simulator
 * ({@link SimulatorExtension}, which must be registered first) with the simulator's seed plans. Closed after the
 * class. The static helpers make companies and API users through the API: the one place tests create them.
 *
 * <pre>
 * &#64;ExtendWith(SimulatorExtension.class)
 * class MyTest {
 *     &#64;RegisterExtension
 *     static final ServiceFixture FLOW = ServiceFixture.on(Map.of(...)).withCompanies("My ISP");
 *     ... FLOW.service(), FLOW.database(), FLOW.company(0) ...
 * }
 * </pre>
 */
public final class ServiceFixture implements BeforeAllCallback, AfterAllCallback {

    private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    private final Map<String, String> properties;
    private final Supplier<TestDatabase> databaseKind;
    private final List<String> companyNames = new ArrayList<>();
    private final List<Long> companies = new ArrayList<>();
    private boolean capturingLogs;
    private CapturedLogs logs;
    private TestDatabase database;
    private ServiceUnderTest service;

    private ServiceFixture(Map<String, String> properties, Supplier<TestDatabase> databaseKind) {
        this.properties = properties;
        this.databaseKind = databaseKind;
    }

    /** The service with these property overrides, on the flow tests' database. */
    public static ServiceFixture on(Map<String, String> properties) {
        return new ServiceFixture(properties, TestDatabase::forFlows);
    }

    /** The service with these property overrides, on PostgreSQL only (tests of PostgreSQL-only behaviour). */
    public static ServiceFixture onPostgres(Map<String, String> properties) {
        return new ServiceFixture(properties, TestDatabase::postgres);
    }

    /** The service with these property overrides, on H2 only (tests that need no PostgreSQL). */
    public static ServiceFixture onH2(Map<String, String> properties) {
        return new ServiceFixture(properties, TestDatabase::h2);
    }

    /** Companies on the simulator, each with the seed plans basic (default, id 1) and premium (id 2). */
    public ServiceFixture withCompanies(String... names) {
        companyNames.addAll(List.of(names));
        return this;
    }

    /** Captures everything logged from before the service starts until the class ends ({@link #logs()}). */
    public ServiceFixture capturingLogs() {
        capturingLogs = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (capturingLogs) {
            logs = CapturedLogs.install();
        }
        database = databaseKind.get();
        service = ServiceUnderTest.start(database, properties);
        if (!companyNames.isEmpty()) {
            MinistraSimulator ministra = SimulatorExtension.simulator(context);
            for (String name : companyNames) {
                long company = company(service, name, ministra.apiBaseUrl(), "\"readTimeoutMs\":5000");
                seedPlans(company);
                companies.add(company);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Resources.closeAll(service, database, logs);
    }

    public CapturedLogs logs() {
        return logs;
    }

    public ServiceUnderTest service() {
        return service;
    }

    public TestDatabase database() {
        return database;
    }

    /** The id of the company named at this position in {@link #withCompanies}. */
    public long company(int position) {
        return companies.get(position);
    }

    /** The simulator's seed catalogue as the tariff sync would store it: basic (default, id 1) and premium (id 2). */
    public void seedPlans(long companyId) throws SQLException {
        seedPlans(database, companyId);
    }

    public static void seedPlans(TestDatabase database, long companyId) throws SQLException {
        try (Connection connection = database.connect()) {
            insertPlan(connection, companyId, "basic", "1", "Basic", true);
            insertPlan(connection, companyId, "premium", "2", "Premium", false);
        }
    }

    public static void insertPlan(Connection connection, long companyId, String externalId, String remoteId,
                                  String name, boolean userDefault) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tariff_plan (company_id, external_id,"
                + " remote_id, name, user_default) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, companyId);
            insert.setString(2, externalId);
            insert.setString(3, remoteId);
            insert.setString(4, name);
            insert.setBoolean(5, userDefault);
            insert.executeUpdate();
        }
    }

    /**
     * A company through the API, on a Ministra at this URL with the simulator's default credentials, sharing it with
     * the other companies of the test; {@code moreJson} adds fields (e.g. {@code "readTimeoutMs":800}).
     */
    public static long company(ServiceUnderTest service, String name, String ministraBaseUrl, String moreJson) {
        return company(service, name, ministraBaseUrl, "ministra-secret", moreJson);
    }

    /** As {@link #company(ServiceUnderTest, String, String, String)}, with this Ministra password. */
    public static long company(ServiceUnderTest service, String name, String ministraBaseUrl, String ministraPassword,
                               String moreJson) {
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"%s","ministraBaseUrl":"%s","sharedMinistra":true,"ministraUser":"ministra",\
                "ministraPassword":"%s"%s}""".formatted(name, ministraBaseUrl, ministraPassword,
                moreJson.isEmpty() ? "" : "," + moreJson));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** An API user of this role and these companies, through the API; answers its token. */
    public static String user(ServiceUnderTest service, String username, String role, long... companies) {
        return createUser(service, """
                {"username":"%s","role":"%s","companies":%s}""".formatted(username, role, idList(companies)));
    }

    /** As {@link #user}, with a password for the console as well. */
    public static String userWithPassword(ServiceUnderTest service, String username, String role, String password,
                                          long... companies) {
        return createUser(service, """
                {"username":"%s","role":"%s","companies":%s,"password":"%s"}""".formatted(username, role,
                idList(companies), password));
    }

    /** An API user of this role for every company, present and future; answers its token. Password: null = none. */
    public static String userOfAllCompanies(ServiceUnderTest service, String username, String role, String password) {
        return createUser(service, """
                {"username":"%s","role":"%s","allCompanies":true%s}""".formatted(username, role,
                password == null ? "" : ",\"password\":\"" + password + "\""));
    }

    private static String createUser(ServiceUnderTest service, String json) {
        ApiAnswer created = service.post("/users", ADMIN, json);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    private static String idList(long... ids) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (long id : ids) {
            list.add(String.valueOf(id));
        }
        return list.toString();
    }
}
