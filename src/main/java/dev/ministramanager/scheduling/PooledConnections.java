package dev.ministramanager.scheduling;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.quartz.utils.ConnectionProvider;

/** Quartz's job store on the service's own connection pool, which the service (not Quartz) closes. */
final class PooledConnections implements ConnectionProvider {

    private final DataSource dataSource;

    PooledConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to DatabaseConfiguration and outlives the scheduler
    }

    @Override
    public void initialize() {
        // nothing to set up: the pool exists before Quartz starts
    }
}
