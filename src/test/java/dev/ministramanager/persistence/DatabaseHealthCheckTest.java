package dev.ministramanager.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Readiness never reports the database up while it is still being opened and migrated. */
class DatabaseHealthCheckTest {

    @Test
    void downUntilTheSchemaIsMigratedThenUp() throws Exception {
        CompletableFuture<HikariDataSource> migrating = new CompletableFuture<>();
        DatabaseHealthCheck check = new DatabaseHealthCheck(new MigratedDataSource(migrating));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            check.setCamelContext(camel);

            HealthCheck.Result before = check.call(Map.of());
            assertThat(before.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(before.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("not open and migrated"));

            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:h2:mem:health-check;DB_CLOSE_DELAY=-1");
            try (HikariDataSource pool = new HikariDataSource(config)) {
                migrating.complete(pool);
                assertThat(check.call(Map.of()).getState()).isEqualTo(HealthCheck.State.UP);
            }
        }
    }
}
