package dev.ministramanager;

import java.lang.management.ManagementFactory;

import dev.ministramanager.accounts.AccountsConfiguration;
import dev.ministramanager.audit.AuditConfiguration;
import dev.ministramanager.companies.CompanyConfiguration;
import dev.ministramanager.console.ConsoleConfiguration;
import dev.ministramanager.dashboard.DashboardConfiguration;
import dev.ministramanager.embedded.EmbeddedMinistraConfiguration;
import dev.ministramanager.events.EventsConfiguration;
import dev.ministramanager.api.ApiConfiguration;
import dev.ministramanager.imports.ImportsConfiguration;
import dev.ministramanager.metrics.MetricsConfiguration;
import dev.ministramanager.openapi.OpenApiConfiguration;
import dev.ministramanager.persistence.DatabaseConfiguration;
import dev.ministramanager.reconciliation.ReconciliationConfiguration;
import dev.ministramanager.retention.RetentionConfiguration;
import dev.ministramanager.scheduling.SchedulingConfiguration;
import dev.ministramanager.security.SecurityConfiguration;
import dev.ministramanager.status.StatusConfiguration;
import dev.ministramanager.stb.StbConfiguration;
import dev.ministramanager.tariffs.TariffsConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots ministra-manager: Camel Main with the YAML routes of {@code routes/} and the properties of {@code config/}.
 * Camel Main first injects every configuration class listed (its {@code @PropertyInject} settings, and its lazy
 * {@code @BindToRegistry} beans, each built at its first lookup from its {@code @BeanInject} parameters), and only
 * then runs their {@code configure} methods, in the order listed. A bean bound in a {@code configure} (the data
 * source, the JSON mapper, the event outbox) exists only from then on: so the metrics registry and the database come
 * first, and a configuration that uses such a bean in its own {@code configure} is listed after the one binding it.
 * Slow start-up work (opening and migrating the database, the embedded simulator) runs on threads of its own while
 * Camel loads the routes; no route starts before it is done (see {@code StartupWork}).
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        int exitCode = 0;
        try {
            newMain().run(args);
        } catch (Exception e) {
            LOG.error("ministra-manager failed to start", e);
            exitCode = 1;
        }
        // the embedded simulator's threads must not keep a stopped (or failed) service alive
        System.exit(exitCode);
    }

    /** The service's Camel Main, configured but not started; tests start it with their own override properties. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(MetricsConfiguration.class);
        main.configure().addConfiguration(DatabaseConfiguration.class);
        main.configure().addConfiguration(ApiConfiguration.class);
        main.configure().addConfiguration(OpenApiConfiguration.class);
        main.configure().addConfiguration(AuditConfiguration.class);
        main.configure().addConfiguration(SecurityConfiguration.class);
        main.configure().addConfiguration(CompanyConfiguration.class);
        main.configure().addConfiguration(EventsConfiguration.class);
        main.configure().addConfiguration(EmbeddedMinistraConfiguration.class);
        main.configure().addConfiguration(StbConfiguration.class);
        main.configure().addConfiguration(SchedulingConfiguration.class);
        main.configure().addConfiguration(TariffsConfiguration.class);
        main.configure().addConfiguration(StatusConfiguration.class);
        main.configure().addConfiguration(ReconciliationConfiguration.class);
        main.configure().addConfiguration(AccountsConfiguration.class);
        main.configure().addConfiguration(ImportsConfiguration.class);
        main.configure().addConfiguration(DashboardConfiguration.class);
        main.configure().addConfiguration(ConsoleConfiguration.class);
        main.configure().addConfiguration(RetentionConfiguration.class);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport main) {
                // before Camel Main looks for the route files (it does so twice)
                CamelContext camel = main.getCamelContext();
                JarDirectoryResourceResolver resolver = new JarDirectoryResourceResolver();
                resolver.setCamelContext(camel);
                camel.getCamelContextExtension().addContextPlugin(PackageScanResourceResolver.class, resolver);
            }

            @Override
            public void afterStart(BaseMainSupport main) {
                long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                LOG.info("ministra-manager ready in {} ms after JVM start", sinceJvmStart);
            }
        });
        return main;
    }
}
