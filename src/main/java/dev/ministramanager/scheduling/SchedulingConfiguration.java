package dev.ministramanager.scheduling;

import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import dev.ministramanager.persistence.DatabaseConfiguration;
import dev.ministramanager.persistence.SqlDialect;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler behind every {@code quartz:} route. On PostgreSQL it uses Quartz's clustered JDBC job store on
 * the service's own connection pool, so that several nodes on one database fire each schedule once, not once per node
 * (all nodes need the same {@code camel.main.name}: it names the scheduler in the job-store tables). On H2, the
 * single-node embedded default, Quartz keeps its schedule in memory.
 */
public class SchedulingConfiguration implements CamelConfiguration {

    @PropertyInject("mm.db.url")
    private String databaseUrl;
    @PropertyInject("mm.scheduler.job-store")
    private String jobStore;
    /** The scheduler's name: the same on every node of a cluster. */
    @PropertyInject("camel.main.name")
    private String serviceName;
    @PropertyInject("mm.scheduler.threads")
    private String threads;
    @PropertyInject("mm.scheduler.cluster-checkin-interval-ms")
    private String clusterCheckinIntervalMs;
    @PropertyInject("mm.scheduler.misfire-threshold-ms")
    private String misfireThresholdMs;

    /**
     * The component of every {@code quartz:} route, found in the registry by its name when the routes are built
     * (after every configuration has run): the clustered job store uses the pool that DatabaseConfiguration binds.
     */
    @BindToRegistry(value = "quartz", lazy = true)
    public QuartzComponent quartz(@BeanInject(DatabaseConfiguration.DATA_SOURCE) DataSource dataSource) {
        SqlDialect dialect = SqlDialect.of(databaseUrl);
        boolean clustered = switch (jobStore.trim()) {
            case "auto" -> dialect == SqlDialect.POSTGRESQL;
            case "jdbc" -> true;
            case "memory" -> false;
            default -> throw new IllegalArgumentException("mm.scheduler.job-store must be auto, jdbc or memory");
        };
        if (clustered && dialect != SqlDialect.POSTGRESQL) {
            throw new IllegalArgumentException("mm.scheduler.job-store=jdbc needs PostgreSQL (mm.db.url)");
        }

        Properties quartz = new Properties();
        quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, serviceName.trim());
        quartz.setProperty("org.quartz.threadPool.threadCount", threads.trim());
        if (clustered) {
            // a name of this context's own: two contexts in one JVM must not share a connection provider
            String connections = "mm-" + UUID.randomUUID();
            DBConnectionManager.getInstance().addConnectionProvider(connections, new PooledConnections(dataSource));
            quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
            quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
            quartz.setProperty("org.quartz.jobStore.driverDelegateClass",
                    "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            quartz.setProperty("org.quartz.jobStore.dataSource", connections);
            quartz.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
            quartz.setProperty("org.quartz.jobStore.isClustered", "true");
            quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", clusterCheckinIntervalMs.trim());
            quartz.setProperty("org.quartz.jobStore.misfireThreshold", misfireThresholdMs.trim());
            quartz.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        } else {
            quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        }

        QuartzComponent component = new QuartzComponent();
        try {
            component.setSchedulerFactory(new ContextOwnedSchedulerFactory(quartz));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Invalid Quartz configuration", e);
        }
        return component;
    }

    /**
     * Quartz keeps schedulers in a JVM-wide repository by name, so a second Camel context in the same JVM would get
     * (and, stopping, shut down) the first one's scheduler. Each context here owns the scheduler it creates.
     */
    static final class ContextOwnedSchedulerFactory extends StdSchedulerFactory {

        ContextOwnedSchedulerFactory(Properties properties) throws SchedulerException {
            super(properties);
        }

        @Override
        public Scheduler getScheduler() throws SchedulerException {
            Scheduler scheduler = super.getScheduler();
            SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
            return scheduler;
        }
    }
}
