package dev.ministramanager.companies;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraRequests;
import dev.ministramanager.ministra.MinistraResult;
import org.apache.camel.Exchange;

/**
 * {@code POST /companies/{id}/test-connection}: one GET of the tariff list, answered as ok, authentication_failed,
 * unreachable, server_error or not_ministra, with the measured latency.
 */
public class ConnectionTests {

    private final Companies companies;
    private final AuditTrail audit;

    public ConnectionTests(Companies companies, AuditTrail audit) {
        this.companies = companies;
        this.audit = audit;
    }

    public MinistraRequest request(long companyId) {
        companies.get(companyId);
        return MinistraRequest.get(companyId, "tariffs");
    }

    public Map<String, Object> answered(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        MinistraResult result = exchange.getMessage().getMandatoryBody(MinistraResult.class);
        boolean tariffList = result.results() != null && result.results().isArray();
        return outcome(exchange, tariffList ? "ok" : "not_ministra", tariffList
                ? "Ministra answered with " + result.results().size() + " tariff plan(s)."
                : "The answer has no tariff list: this does not look like Ministra's REST API v1.");
    }

    public Map<String, Object> failed(Exchange exchange) {
        MinistraFailure failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MinistraFailure.class);
        String outcome = switch (failure.kind()) {
            case AUTHENTICATION_FAILED -> "authentication_failed";
            case UNREACHABLE, TIMEOUT -> "unreachable";
            case SERVER_ERROR -> "server_error";
            default -> "not_ministra";
        };
        return outcome(exchange, outcome, failure.getMessage());
    }

    private Map<String, Object> outcome(Exchange exchange, String outcome, String detail) {
        MinistraRequest request = exchange.getVariable(MinistraRequests.REQUEST, MinistraRequest.class);
        Long started = exchange.getVariable(MinistraRequests.STARTED_NANOS, Long.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("companyId", request.companyId());
        answer.put("outcome", outcome);
        answer.put("detail", detail);
        answer.put("latencyMs", started == null ? null : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        audit.record(exchange.getVariable("actor", String.class), request.companyId(), "company",
                String.valueOf(request.companyId()), "test-connection", outcome, Map.of("detail", detail));
        return answer;
    }
}
