package dev.ministramanager.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The one pool, handed out only once Flyway has migrated the schema. The pool is opened and migrated on a start-up
 * thread while Camel loads the routes; whoever asks for a connection before that waits for it, and gets its failure.
 */
final class MigratedDataSource implements DataSource {

    private final CompletableFuture<HikariDataSource> pool;

    MigratedDataSource(CompletableFuture<HikariDataSource> pool) {
        this.pool = pool;
    }

    /** Whether the schema is migrated and the pool open; never waits. */
    boolean isMigrated() {
        return pool.isDone() && !pool.isCompletedExceptionally();
    }

    /** Closes the pool: now when it is open, else as soon as it is (a context stopped during its start-up). */
    void close() {
        pool.thenAccept(HikariDataSource::close);
    }

    private HikariDataSource pool() throws SQLException {
        try {
            return pool.join();
        } catch (CompletionException e) {
            throw new SQLException("The database could not be opened and migrated: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }
}
