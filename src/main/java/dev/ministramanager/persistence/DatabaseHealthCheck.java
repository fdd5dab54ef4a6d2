package dev.ministramanager.persistence;

import java.sql.Connection;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the database is open and migrated, and answers within two seconds. Not a liveness check: restarting
 * the service does not bring a database back.
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    private final MigratedDataSource dataSource;

    DatabaseHealthCheck(MigratedDataSource dataSource) {
        super("ministra-manager", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!dataSource.isMigrated()) {
            builder.down().message("The database is not open and migrated yet");
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.down().message("The database did not answer within 2 s");
            }
        } catch (Exception e) {
            builder.down().message("The database is not reachable: " + e.getMessage());
        }
    }
}
