package dev.ministramanager.status;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.api.MinistraProblems;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.fleet.BatchReads;
import dev.ministramanager.fleet.BatchReads.Match;
import dev.ministramanager.fleet.LocalAccount;
import dev.ministramanager.fleet.LocalAccounts;
import dev.ministramanager.fleet.RemoteAccount;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;

/**
 * {@code POST /accounts/{login}/pull}: reads one account from Ministra ({@code users/<login>}) and stores the remote
 * snapshot beside our record. "Account not found" is an answer, not an error: the snapshot then says so.
 */
public class AccountPulls {

    static final String ACCOUNT = "statusAccount";

    private final LocalAccounts accounts;
    private final RemoteSnapshots snapshots;
    private final AuditTrail audit;
    private final Clock clock;
    private final ApiResponses responses;

    public AccountPulls(LocalAccounts accounts, RemoteSnapshots snapshots, AuditTrail audit, Clock clock,
                        ApiResponses responses) {
        this.accounts = accounts;
        this.snapshots = snapshots;
        this.audit = audit;
        this.clock = clock;
        this.responses = responses;
    }

    /** Finds our account (404 if we have none by that login) and builds the read. */
    public MinistraRequest request(Exchange exchange) {
        long companyId = ApiGate.requireCompany(exchange);
        String login = exchange.getMessage().getHeader("login", String.class);
        LocalAccount account = accounts.byLogin(companyId, login)
                .orElseThrow(() -> ProblemException.notFound("Account '" + login + "' not found."));
        exchange.setVariable(ACCOUNT, account);
        return MinistraRequest.get(companyId, "users", account.login());
    }

    public Map<String, Object> answered(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        MinistraResult result = exchange.getMessage().getMandatoryBody(MinistraResult.class);
        if (!result.results().isObject()) {
            // an empty Ministra answers [] to users/<login>
            return stored(exchange, List.of());
        }
        return stored(exchange, List.of(RemoteAccount.of(result.results())));
    }

    /**
     * "Account not found" is stored as such; every other failure is audited and answered as the problem it is
     * (written here: a failure thrown from a doCatch would bypass the REST error policy).
     */
    public void failed(Exchange exchange) throws com.fasterxml.jackson.core.JsonProcessingException {
        MinistraFailure failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MinistraFailure.class);
        if (BatchReads.isRejection(failure, BatchReads.NOT_FOUND)) {
            exchange.getMessage().setBody(stored(exchange, List.of()));
            return;
        }
        LocalAccount account = exchange.getVariable(ACCOUNT, LocalAccount.class);
        audit.record(exchange.getVariable(ApiGate.ACTOR, String.class), account.companyId(), AuditTrail.ACCOUNT,
                AuditTrail.accountSubjectId(account.login()), "pull", failure.kind().id(), Map.of("login", account.login(),
                        "detail", failure.getMessage()));
        responses.writeProblem(exchange.getMessage(), MinistraProblems.of(failure));
    }

    private Map<String, Object> stored(Exchange exchange, List<RemoteAccount> rows) {
        LocalAccount account = exchange.getVariable(ACCOUNT, LocalAccount.class);
        String actor = exchange.getVariable(ApiGate.ACTOR, String.class);
        RemoteSnapshots.Stored stored = snapshots.store(List.of(new Match(account, rows)), "pull", actor,
                clock.instant());
        Map<String, Object> snapshot = snapshots.view(account.id(), clock.instant());
        audit.record(actor, account.companyId(), AuditTrail.ACCOUNT, AuditTrail.accountSubjectId(account.login()),
                "pull",
                rows.isEmpty() ? "not_found" : "ok", Map.of("login", account.login(),
                        "online", String.valueOf(snapshot.get("online")), "transitions", stored.transitions()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("companyId", account.companyId());
        answer.put("login", account.login());
        answer.put("accountNumber", account.accountNumber());
        answer.put("ministra", snapshot);
        return answer;
    }
}
