package dev.ministramanager.tariffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;

/** Companies pointed at the simulator, API users, simulator catalogues and database reads for the tariff tests. */
final class TariffFixtures {

    static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;

    /** The seed catalogue's packages, for catalogues that change plans: base_tv (1), sport (2), movies (3). */
    private static final String PACKAGES = """
            [{"id":1,"external_id":"base_tv","name":"Base TV","type":"tv","price":"0.00"},
             {"id":2,"external_id":"sport","name":"Sport","type":"tv","price":"5.00"},
             {"id":3,"external_id":"movies","name":"Movies","type":"video","price":"3.00"},
             {"id":4,"external_id":"kids","name":"Kids","type":"tv","price":"2.50"}]""";

    private TariffFixtures() {
    }

    /** A company whose Ministra is the simulator; a short read timeout so that timeouts are quick to provoke. */
    static long companyOn(ServiceUnderTest service, MinistraSimulator ministra, String name) {
        ApiAnswer created = service.post("/companies", ADMIN, """
                {"name":"%s","ministraBaseUrl":"%s","sharedMinistra":true,"ministraUser":"%s","ministraPassword":"%s",
                 "readTimeoutMs":800}
                """.formatted(name, ministra.apiBaseUrl(), ministra.settings().apiUser(),
                ministra.settings().apiPassword()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static String user(ServiceUnderTest service, String username, String role, long... companies) {
        return ServiceFixture.user(service, username, role, companies);
    }

    /** Closes what a test class started, in the order given; what never started (null) is skipped. */
    static ApiAnswer sync(ServiceUnderTest service, long companyId, String token) {
        return service.post("/companies/" + companyId + "/tariffs/sync", token, null);
    }

    /** A catalogue of plans over the four packages; each plan is {@code {"id":..,"external_id":..,...}} JSON. */
    static String catalogue(String... plans) {
        return "{\"packages\":" + PACKAGES + ",\"plans\":[" + String.join(",", plans) + "]}";
    }

    /** Every plan and package of the company, as rows, for "nothing changed" comparisons. */
    static List<Map<String, Object>> catalogueRows(TestDatabase database, long companyId) {
        return rows(database, "SELECT t.external_id, t.remote_id, t.name, t.user_default, t.days_to_expires,"
                + " t.archived_at, t.updated_at, p.external_id AS package, p.price, p.optional, p.position"
                + " FROM tariff_plan t LEFT JOIN tariff_package p ON p.tariff_plan_id = t.id"
                + " WHERE t.company_id = " + companyId + " ORDER BY t.external_id, p.position");
    }

    static List<Map<String, Object>> rows(TestDatabase database, String sql) {
        try (Connection connection = database.connect();
             ResultSet rs = connection.createStatement().executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long count(TestDatabase database, String sql) {
        return ((Number) rows(database, sql).get(0).values().iterator().next()).longValue();
    }
}
