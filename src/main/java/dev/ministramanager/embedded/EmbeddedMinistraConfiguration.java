package dev.ministramanager.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ministramanager.companies.Companies;
import dev.ministramanager.companies.NewCompany;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorSettings;
import dev.ministramanager.startup.StartupWork;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's Ministra: when {@code mm.simulator.enabled} (the default; off in production) the built-in
 * simulator starts on {@code mm.sim.port}, a few demo set-top boxes come online and keep alive, and, when there is
 * no company yet, a "Demo ISP" company is created pointing at it, so that a newcomer can provision an account and
 * see it in "Ministra" at once. The simulator keeps its state in {@code mm.sim.state-dir} (under {@code ./data},
 * beside the H2 database), so that after a restart it still has what our database says it has. All of that is
 * start-up work: it runs beside the loading of the routes, and the routes start once it is done.
 */
public class EmbeddedMinistraConfiguration implements CamelConfiguration {

    static final String DEMO_COMPANY = "Demo ISP";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMinistraConfiguration.class);
    private static final List<String> DEMO_BOXES = List.of("00:1A:79:DE:00:01", "00:1A:79:DE:00:02",
            "00:1A:79:DE:00:03");

    @PropertyInject("mm.simulator.enabled")
    private boolean enabled;

    @PropertyInject("mm.sim.port")
    private int port;

    @PropertyInject("{{mm.sim.api-user:}}")
    private String apiUser;

    @PropertyInject("{{mm.sim.api-password:}}")
    private String apiPassword;

    @PropertyInject("{{mm.sim.state-dir:}}")
    private String stateDir;

    @Override
    public void configure(CamelContext camel) throws Exception {
        if (!enabled) {
            return;
        }
        SimulatorSettings defaults = SimulatorSettings.defaults();
        SimulatorSettings settings = defaults
                .withPort(port)
                .withCredentials(apiUser.isBlank() ? defaults.apiUser() : apiUser,
                        apiPassword.isBlank() ? defaults.apiPassword() : apiPassword)
                .withStateDir(stateDir.isBlank() ? null : Path.of(stateDir.strip()));
        // not a @BeanInject field: Companies is bound lazily by another configuration, after this one is injected
        Companies companies = camel.getRegistry().findSingleByType(Companies.class);

        CompletableFuture<EmbeddedMinistra> embedded = StartupWork.begin(camel, "embedded-simulator",
                () -> EmbeddedMinistra.start(settings, companies));
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                // also when the context stops before the simulator is up: it is then stopped as soon as it is
                embedded.thenAccept(EmbeddedMinistra::stop);
            }
        }, true, true);
        syncTariffsOnceStarted(camel, embedded);
    }

    /** A new demo company's plans are copied right away, so that accounts can be provisioned at once. */
    private static void syncTariffsOnceStarted(CamelContext camel, CompletableFuture<EmbeddedMinistra> embedded) {
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() != CamelEvent.Type.CamelContextStarted) {
                    return;
                }
                // routes start only after the start-up work, so it is done by now
                embedded.join().createdCompany().ifPresent(companyId ->
                        camel.createFluentProducerTemplate().to("direct:tariffs-sync")
                                .withProcessor(exchange -> {
                                    exchange.setVariable("companyId", companyId);
                                    exchange.setVariable("trigger", "user");
                                    exchange.setVariable("actor", "embedded-default");
                                })
                                .asyncSend());
            }
        });
    }

    /** The running simulator, its demo boxes' keep-alive, and the demo company when this start created it. */
    private record EmbeddedMinistra(MinistraSimulator simulator, ScheduledExecutorService keepAlive,
            Optional<Long> createdCompany) {

        static EmbeddedMinistra start(SimulatorSettings settings, Companies companies) {
            MinistraSimulator simulator = MinistraSimulator.start(settings);
            ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "demo-boxes-keepalive");
                thread.setDaemon(true);
                return thread;
            });
            try {
                for (int i = 0; i < DEMO_BOXES.size(); i++) {
                    simulator.devices().register(DEMO_BOXES.get(i), "DEMO0000" + (i + 1), "MAG322",
                            "ImageDescription: 0.2.18-r23-322; PORTAL version: 5.6.1", "192.0.2." + (10 + i));
                }
                long period = Math.max(1, settings.watchdogTimeout().toSeconds() / 2);
                keepAlive.scheduleAtFixedRate(() -> DEMO_BOXES.forEach(mac -> simulator.devices().keepAlive(mac)),
                        period, period, TimeUnit.SECONDS);
                LOG.info("Embedded Ministra simulator listening at {} with {} demo boxes online",
                        simulator.apiBaseUrl(), DEMO_BOXES.size());
                return new EmbeddedMinistra(simulator, keepAlive, createDemoCompany(settings, companies, simulator));
            } catch (RuntimeException e) {
                keepAlive.shutdownNow();
                simulator.close();
                throw e;
            }
        }

        private static Optional<Long> createDemoCompany(SimulatorSettings settings, Companies companies,
                MinistraSimulator simulator) {
            if (companies.anyExist()) {
                return Optional.empty();
            }
            long demo = (Long) companies.create(new NewCompany(DEMO_COMPANY, simulator.apiBaseUrl(),
                    settings.apiUser(), settings.apiPassword(), null, null, true, null), "embedded-default").get("id");
            LOG.info("Created company '{}' on the embedded simulator", DEMO_COMPANY);
            return Optional.of(demo);
        }

        void stop() {
            keepAlive.shutdownNow();
            simulator.close();
        }
    }
}
