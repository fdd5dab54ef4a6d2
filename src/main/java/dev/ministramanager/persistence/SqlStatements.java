package dev.ministramanager.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The SQL statements of {@code src/main/resources/sql/}, one per file: {@code sql/<name>.sql}, or where the two
 * databases truly differ {@code sql/<name>.postgresql.sql} and {@code sql/<name>.h2.sql}.
 */
public final class SqlStatements {

    private SqlStatements() {
    }

    /** The statement both databases run. */
    public static String load(String name) {
        return read("sql/" + name + ".sql");
    }

    /** The statement of this database's dialect. */
    public static String load(String name, SqlDialect dialect) {
        return read("sql/" + name + "." + dialect.folder() + ".sql");
    }

    private static String read(String path) {
        try (InputStream in = SqlStatements.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing SQL resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
