package dev.ministramanager.persistence;

/** The two databases the service runs on; picks dialect-specific migrations and SQL files. */
public enum SqlDialect {
    POSTGRESQL("postgresql"),
    H2("h2");

    private final String folder;

    SqlDialect(String folder) {
        this.folder = folder;
    }

    public static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("mm.db.url must be a PostgreSQL or H2 JDBC URL");
    }

    public String folder() {
        return folder;
    }
}
