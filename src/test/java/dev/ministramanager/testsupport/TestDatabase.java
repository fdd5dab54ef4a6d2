package dev.ministramanager.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A database of its own for one test class: a fresh PostgreSQL database on 127.0.0.1:5432 (user postgres, trust),
 * dropped afterwards, or an in-memory H2 database. The databases test, postgres and root are never touched.
 * Flow tests ({@link OnBothDatabases}) take {@link #forFlows()}: PostgreSQL, or H2 when the system property
 * {@value #DATABASE_PROPERTY} is {@code h2} (surefire's execution {@code h2} sets it).
 * Where PostgreSQL is not reachable the PostgreSQL tests are skipped with the reason, unless
 * MM_TEST_REQUIRE_POSTGRES=1 (set by .ci/run) makes that a failure.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String USER = "postgres";

    private final String url;
    private final String user;
    private final String postgresName;

    private TestDatabase(String url, String user, String postgresName) {
        this.url = url;
        this.user = user;
        this.postgresName = postgresName;
    }

    public static final String DATABASE_PROPERTY = "mm.test.database";

    /** The database of a flow test run: {@value #DATABASE_PROPERTY} = {@code postgres} (the default) or {@code h2}. */
    public static TestDatabase forFlows() {
        String chosen = System.getProperty(DATABASE_PROPERTY, "postgres");
        return switch (chosen) {
            case "postgres" -> postgres();
            case "h2" -> h2();
            default -> throw new IllegalArgumentException(DATABASE_PROPERTY + " must be postgres or h2, not " + chosen);
        };
    }

    public static TestDatabase postgres() {
        String name = "mm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException unreachable) {
            String reason = "PostgreSQL at 127.0.0.1:5432 is not usable (" + unreachable.getMessage() + ")";
            if ("1".equals(System.getenv("MM_TEST_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException(reason + " and MM_TEST_REQUIRE_POSTGRES=1", unreachable);
            }
            System.out.println("SKIPPED PostgreSQL tests: " + reason);
            Assumptions.abort(reason);
        }
        return new TestDatabase("jdbc:postgresql://127.0.0.1:5432/" + name, USER, name);
    }

    public static TestDatabase h2() {
        String name = "mm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new TestDatabase("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", null);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /** The single number a query answers, e.g. a COUNT(*). */
    public long count(String sql) {
        try (Connection connection = connect();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Runs one INSERT, UPDATE or DELETE with these parameters. */
    public void update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    /** The rows a query answers with these parameters, each as column label to value in the query's order. */
    public List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        if (postgresName == null) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already gone
            }
            return;
        }
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + postgresName + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test database " + postgresName, e);
        }
    }
}
