package dev.ministramanager.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The number of rows in every table of the service's schema: taken before and after requests that must change
 * nothing (the audit trail included, so a refused request that was half-done shows).
 */
public final class TableCounts {

    private TableCounts() {
    }

    public static Map<String, Long> of(TestDatabase database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type IN ('BASE TABLE', 'TABLE')"
                    + " AND table_name NOT LIKE 'qrtz%' AND table_name NOT LIKE 'flyway%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            Map<String, Long> counts = new TreeMap<>();
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            if (counts.isEmpty()) {
                throw new AssertionError("No tables found in " + database.url());
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
