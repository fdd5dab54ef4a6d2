package dev.ministramanager.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ministramanager.startup.StartupWork;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * Builds the one pooled DataSource, migrates the schema with Flyway and binds the pool as {@code dataSource}, which
 * camel-sql and every bean use. Opening and migrating run beside the loading of the routes (start-up work); the pool
 * hands out no connection before the schema is migrated, and no route starts before that either.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    public static final String DATA_SOURCE = "dataSource";

    @PropertyInject("mm.db.url")
    private String url;
    @PropertyInject("mm.db.user")
    private String user;
    /** Empty when the database needs none (the embedded H2). */
    @PropertyInject("{{mm.db.password:}}")
    private String password;
    @PropertyInject("mm.db.pool-size")
    private int poolSize;

    /**
     * Bound in {@code configure}, not lazily: the pool's opening and migration start at once, beside the loading of
     * the routes, and every later configuration may look the data source up.
     */
    @Override
    public void configure(CamelContext camel) {
        SqlDialect dialect = SqlDialect.of(url);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("ministra-manager");
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        if (dialect == SqlDialect.POSTGRESQL) {
            // a batch of inserts (the audit entries, events and webhook attempts of a batch of pushes or deliveries)
            // goes as multi-row INSERTs, not one statement per row: PostgreSQL's work per statement is most of an
            // insert's. No caller reads an insert batch's per-row counts, which this leaves unknown
            pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        }

        MigratedDataSource dataSource = new MigratedDataSource(StartupWork.begin(camel, "database", () -> {
            HikariDataSource opened = new HikariDataSource(pool);
            try {
                Flyway.configure()
                        .dataSource(opened)
                        .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.folder())
                        .load()
                        .migrate();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        }));

        // closed when the context stops (services stop in reverse order, so after everything that uses the pool)
        try {
            camel.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    dataSource.close();
                }
            }, true, true);
        } catch (Exception e) {
            dataSource.close();
            throw new IllegalStateException("Cannot register the database pool's shutdown", e);
        }
        camel.getRegistry().bind(DATA_SOURCE, dataSource);
        camel.getRegistry().bind("sqlDialect", dialect);
        camel.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
    }
}
