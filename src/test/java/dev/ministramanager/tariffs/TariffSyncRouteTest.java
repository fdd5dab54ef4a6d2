package dev.ministramanager.tariffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.events.EventOutbox;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlDialect;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tariff sync's decisions at route level, on H2 without PostgreSQL and without a Ministra: the YAML routes of
 * {@code routes/tariffs-sync.camel.yaml} with the real steps and database, and the one step that talks to Ministra
 * ({@code tariffs-listing-ministra}) advised to answer from a script. What it shows: a transient failure is
 * redelivered until the attempts run out, a permanent one is not, and a listing that would archive most plans is held.
 */
class TariffSyncRouteTest extends CamelTestSupport {

    private static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<Object> ministraAnswers = new ArrayDeque<>();
    private int ministraCalls;
    private HikariDataSource dataSource;
    private long companyId;

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        Properties properties = new Properties();
        properties.put("mm.tariffs.sync-cron", "0 0 0 1 1 ? 2099");
        properties.put("mm.tariffs.sync-time-zone", "UTC");
        properties.put("mm.tariffs.sync-retry-delay-ms", "10");
        properties.put("mm.tariffs.sync-retry-max-delay-ms", "40");
        camel.getPropertiesComponent().setInitialProperties(properties);

        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:tariff-route-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO company (name, ministra_base_url, ministra_user, ministra_password_enc,"
                + " connect_timeout_ms, read_timeout_ms) VALUES ('Route ISP', 'http://127.0.0.1:1/', 'api', 'x',"
                + " 1000, 1000)");
        companyId = jdbc.queryForObject("SELECT id FROM company WHERE name = 'Route ISP'", Long.class);

        // the schedule's sql step (the enabled companies) reads through the registry's data source
        camel.getRegistry().bind("dataSource", dataSource);
        TariffPlans plans = new TariffPlans(dataSource);
        TariffSyncMetrics metrics = new TariffSyncMetrics(new SimpleMeterRegistry(), dataSource);
        camel.getRegistry().bind("tariffSync", new TariffSync(dataSource,
                new TariffCatalogue(dataSource, 0.5, new EventOutbox(dataSource, JSON, Clock.systemUTC(), SqlDialect.H2)),
                ATTEMPTS, new AuditTrail(dataSource, JSON), metrics, plans, new ActiveTariffPlans(dataSource)));
        return camel;
    }

    @Override
    protected void doPostSetup() throws Exception {
        // the Ministra client's route configuration (routes/ministra-client.camel.yaml): no error handler of its own
        context.addRoutesConfigurations(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("ministra-client").errorHandler(noErrorHandler());
            }
        });
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/tariffs-sync.camel.yaml"));
        AdviceWith.adviceWith(context, "tariffs-listing-attempt", route -> route
                .weaveById("tariffs-listing-ministra").replace().process(this::answerFromScript));
        context.start();
    }

    @AfterEach
    void closeDatabase() {
        dataSource.close();
    }

    @Test
    void aTransientFailureIsRedeliveredAndTheRunSucceeds() throws Exception {
        ministraAnswers.add(new MinistraFailure(MinistraFailure.Kind.UNREACHABLE, "connection refused", null, null));
        ministraAnswers.add(new MinistraFailure(MinistraFailure.Kind.GARBLED_ANSWER, "not JSON", null, null));
        ministraAnswers.add(listing("basic", "premium"));

        Map<?, ?> run = sync();

        assertThat(run.get("outcome")).isEqualTo("succeeded");
        assertThat(run.get("attempts")).isEqualTo(3);
        assertThat(ministraCalls).isEqualTo(3);
        assertThat(((Map<?, ?>) run.get("counts")).get("created")).isEqualTo(2);
    }

    @Test
    void transientFailuresEndTheRunWhenTheAttemptsRunOut() throws Exception {
        for (int i = 0; i < ATTEMPTS + 2; i++) {
            ministraAnswers.add(new MinistraFailure(MinistraFailure.Kind.TIMEOUT, "no answer in 1000 ms", null, null));
        }

        Map<?, ?> run = sync();

        assertThat(run.get("outcome")).isEqualTo("failed");
        assertThat(((Map<?, ?>) run.get("error")).get("kind")).isEqualTo("timeout");
        assertThat(run.get("attempts")).isEqualTo(ATTEMPTS);
        assertThat(ministraCalls).isEqualTo(ATTEMPTS);
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        ministraAnswers.add(new MinistraFailure(MinistraFailure.Kind.AUTHENTICATION_FAILED, "HTTP 401", null, null));
        ministraAnswers.add(listing("basic"));

        Map<?, ?> run = sync();

        assertThat(run.get("outcome")).isEqualTo("failed");
        assertThat(((Map<?, ?>) run.get("error")).get("kind")).isEqualTo("authentication_failed");
        assertThat(run.get("attempts")).isEqualTo(1);
        assertThat(ministraCalls).isEqualTo(1);
    }

    @Test
    void aListingThatWouldArchiveMostPlansIsHeldAndChangesNothing() throws Exception {
        ministraAnswers.add(listing("basic", "premium"));
        assertThat(sync().get("outcome")).isEqualTo("succeeded");

        ministraAnswers.add(listing());
        Map<?, ?> held = sync();

        assertThat(held.get("outcome")).isEqualTo("held");
        assertThat(((Map<?, ?>) held.get("error")).get("kind")).isEqualTo("archive_share_exceeded");
        assertThat(held.get("attempts")).isEqualTo(1);
        assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM tariff_plan WHERE company_id = ?"
                + " AND archived_at IS NULL", Integer.class, companyId)).isEqualTo(2);
    }

    /** One on-demand sync through {@code direct:tariffs-sync}; its answer is the recorded run. */
    private Map<?, ?> sync() {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("tariffs-sync").whenDone(1).create();
        Exchange exchange = template.send("direct:tariffs-sync", ex -> {
            ex.setVariable("companyId", companyId);
            ex.setVariable("trigger", TariffSync.USER);
            ex.setVariable("actor", "route-test");
        });
        assertThat(done.matches(10, TimeUnit.SECONDS)).as("the sync route completed").isTrue();
        assertThat(exchange.getException()).isNull();
        return exchange.getMessage().getBody(Map.class);
    }

    private void answerFromScript(Exchange exchange) {
        ministraCalls++;
        Object answer = ministraAnswers.poll();
        if (answer instanceof MinistraFailure failure) {
            throw failure;
        }
        exchange.getMessage().setBody(answer);
    }

    private static MinistraResult listing(String... externalIds) {
        StringBuilder plans = new StringBuilder("[");
        for (int i = 0; i < externalIds.length; i++) {
            plans.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(",\"external_id\":\"")
                    .append(externalIds[i]).append("\",\"name\":\"").append(externalIds[i])
                    .append("\",\"user_default\":0,\"packages\":[]}");
        }
        try {
            return new MinistraResult(JSON.readTree(plans.append("]").toString()), null, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
