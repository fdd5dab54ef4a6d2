package dev.ministramanager.tariffs;

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
        return ServiceFixture.company(service, name, ministra.apiBaseUrl(), ministra.settings().apiPassword(),
                "\"readTimeoutMs\":800");
    }

    static String user(ServiceUnderTest service, String username, String role, long... companies) {
        return ServiceFixture.user(service, username, role, companies);
    }

    /** A tariff sync of the company, asked for through the API with this token. */
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
        return database.rows(sql);
    }

    static long count(TestDatabase database, String sql) {
        return database.count(sql);
    }
}
