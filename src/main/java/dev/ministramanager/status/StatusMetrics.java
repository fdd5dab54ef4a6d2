package dev.ministramanager.status;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Status counters in the service's Micrometer registry (the one Camel's Prometheus endpoint on the management port
 * scrapes): {@code mm_status_transitions_total{company,to}}, {@code mm_status_refresh_runs_total{company,outcome}}
 * and {@code mm_status_ministra_requests_total{company,purpose}}. The registry is created while Camel starts, after
 * the configuration classes ran, so it is looked up on first use.
 */
public class StatusMetrics {

    private final CamelContext camel;
    private volatile MeterRegistry registry;

    public StatusMetrics(CamelContext camel) {
        this.camel = camel;
    }

    public void transition(long companyId, String to) {
        MeterRegistry meters = registry();
        if (meters != null) {
            meters.counter("mm.status.transitions", "company", String.valueOf(companyId), "to", to).increment();
        }
    }

    public void refreshRun(long companyId, String outcome) {
        MeterRegistry meters = registry();
        if (meters != null) {
            meters.counter("mm.status.refresh.runs", "company", String.valueOf(companyId), "outcome", outcome)
                    .increment();
        }
    }

    public void ministraRequests(long companyId, String purpose, int count) {
        MeterRegistry meters = registry();
        if (meters != null && count > 0) {
            meters.counter("mm.status.ministra.requests", "company", String.valueOf(companyId), "purpose", purpose)
                    .increment(count);
        }
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = camel.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (found == null) {
                found = camel.getRegistry().findSingleByType(MeterRegistry.class);
            }
            registry = found;
        }
        return found;
    }
}
