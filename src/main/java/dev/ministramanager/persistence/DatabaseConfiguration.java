package dev.ministramanager.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * Builds the one pooled DataSource, migrates the schema with Flyway and binds the pool as {@code dataSource}, which
 * camel-sql and every bean use. Runs before any route starts, so no consumer ever polls a missing table.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    public static final String DATA_SOURCE = "dataSource";

    @Override
    public void configure(CamelContext camel) {
        String url = camel.resolvePropertyPlaceholders("{{mm.db.url}}");
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("ministra-manager");
        pool.setJdbcUrl(url);
        pool.setUsername(camel.resolvePropertyPlaceholders("{{mm.db.user}}"));
        pool.setPassword(camel.resolvePropertyPlaceholders("{{mm.db.password:}}"));
        pool.setMaximumPoolSize(Integer.parseInt(camel.resolvePropertyPlaceholders("{{mm.db.pool-size}}")));
        HikariDataSource dataSource = new HikariDataSource(pool);

        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + SqlDialect.of(url).folder())
                .load()
                .migrate();

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
        camel.getRegistry().bind("sqlDialect", SqlDialect.of(url));
        camel.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
    }
}
