package dev.ministramanager.status;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ministramanager.metrics.CompanyMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Status counters in the service's Micrometer registry (the one Camel's Prometheus endpoint on the management port
 * scrapes): {@code mm_status_transitions_total{company,to}}, {@code mm_status_refresh_runs_total{company,outcome}}
 * and {@code mm_status_ministra_requests_total{company,purpose}}, every series present at zero from start-up.
 */
public class StatusMetrics implements CompanyMeters {

    private static final List<String> TRANSITIONS = List.of("online", "offline");
    private static final List<String> REFRESH_OUTCOMES = List.of("ok", "partial", "failed");
    private static final List<String> PURPOSES = List.of("refresh");

    private final MeterRegistry registry;
    private final Set<Long> registered = ConcurrentHashMap.newKeySet();

    public StatusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void registerCompany(long companyId) {
        if (registered.add(companyId)) {
            TRANSITIONS.forEach(to -> transitions(companyId, to));
            REFRESH_OUTCOMES.forEach(outcome -> refreshRuns(companyId, outcome));
            PURPOSES.forEach(purpose -> requests(companyId, purpose));
        }
    }

    public void transition(long companyId, String to) {
        registerCompany(companyId);
        transitions(companyId, to).increment();
    }

    public void refreshRun(long companyId, String outcome) {
        registerCompany(companyId);
        refreshRuns(companyId, outcome).increment();
    }

    public void ministraRequests(long companyId, String purpose, int count) {
        registerCompany(companyId);
        if (count > 0) {
            requests(companyId, purpose).increment(count);
        }
    }

    private Counter transitions(long companyId, String to) {
        return Counter.builder("mm.status.transitions").description("Online/offline transitions seen in Ministra")
                .tag("company", String.valueOf(companyId)).tag("to", to).register(registry);
    }

    private Counter refreshRuns(long companyId, String outcome) {
        return Counter.builder("mm.status.refresh.runs").description("Fleet refresh runs by outcome")
                .tag("company", String.valueOf(companyId)).tag("outcome", outcome).register(registry);
    }

    private Counter requests(long companyId, String purpose) {
        return Counter.builder("mm.status.ministra.requests").description("Requests made to Ministra by purpose")
                .tag("company", String.valueOf(companyId)).tag("purpose", purpose).register(registry);
    }
}
