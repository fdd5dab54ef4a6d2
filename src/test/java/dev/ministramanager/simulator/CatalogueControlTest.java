package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalogue can be changed at runtime (as an operator edits plans in the admin panel) and reads are counted. */
@ExtendWith(SimulatorExtension.class)
class CatalogueControlTest {

    @Test
    void aReplacedCatalogueIsListedUntilReset(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        assertThat(http.control("PUT", "/_sim/catalogue", """
                {"packages":[{"id":5,"external_id":"news","name":"News","type":"tv","price":"1.50"}],
                 "plans":[{"id":8,"external_id":"lite","name":"Lite","user_default":1,"days_to_expires":30,
                           "packages":[{"id":5,"optional":1}]}]}""").statusCode()).isEqualTo(200);

        JsonArray plans = new JsonObject(http.get("tariffs").body()).getJsonArray("results");
        assertThat(plans).hasSize(1);
        JsonObject lite = plans.getJsonObject(0);
        assertThat(lite.getString("external_id")).isEqualTo("lite");
        assertThat(lite.getString("days_to_expires")).isEqualTo("30");
        assertThat(lite.getJsonArray("packages").getJsonObject(0).getString("optional")).isEqualTo("1");
        assertThat(simulator.requestCount("GET", "tariffs")).isEqualTo(1);

        simulator.reset();
        JsonArray seed = new JsonObject(http.get("tariffs").body()).getJsonArray("results");
        assertThat(seed).extracting(plan -> ((JsonObject) plan).getString("external_id"))
                .containsExactly("basic", "premium");
        assertThat(seed.getJsonObject(0).containsKey("days_to_expires")).isFalse();
        assertThat(simulator.requestCount("GET", "tariffs")).isEqualTo(1);
        assertThat(http.control("PUT", "/_sim/catalogue", "{\"plans\":[{\"id\":1,\"packages\":[{\"id\":99}]}]}")
                .statusCode()).isEqualTo(400);
    }
}
