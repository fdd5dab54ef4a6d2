package dev.ministramanager.accounts;

import java.time.Clock;
import java.util.List;

import dev.ministramanager.persistence.SqlStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The push's metrics: finished attempts by outcome ({@code mm_accounts_pushes_total{outcome}}), pushes refused
 * with HTTP 401, and the companies whose pushes are paused for it.
 */
final class PushOutcomes {

    /** The outcomes of a push attempt, as counted in mm_accounts_pushes_total{outcome}. */
    private static final List<String> OUTCOMES = List.of("synced", "retrying", "waiting", "dead", "paused", "lost");
    private static final String PAUSED_COMPANIES = SqlStatements.load("accounts-push-paused-companies");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry metrics;

    PushOutcomes(JdbcTemplate jdbc, Clock clock, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.metrics = metrics;
        Gauge.builder("mm.accounts.push.paused.companies", this, PushOutcomes::pausedCompanies)
                .description("Companies whose pushes are paused because their Ministra refused our credentials")
                .register(metrics);
        // every series at zero from the start, so that dashboards and alerts see them before the first push
        OUTCOMES.forEach(outcome -> count(outcome, 0));
        authenticationFailures();
    }

    void count(String outcome, int pushes) {
        Counter.builder("mm.accounts.pushes").description("Finished push attempts by outcome")
                .tag("outcome", outcome).register(metrics).increment(pushes);
    }

    void authenticationFailed() {
        authenticationFailures().increment();
    }

    private Counter authenticationFailures() {
        return Counter.builder("mm.accounts.push.authentication.failures")
                .description("Pushes refused with HTTP 401 by a company's Ministra (the company is paused)")
                .register(metrics);
    }

    private double pausedCompanies() {
        try {
            Integer paused = jdbc.queryForObject(PAUSED_COMPANIES, Integer.class, AccountPushes.utcNow(clock));
            return paused == null ? 0 : paused;
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }
}
