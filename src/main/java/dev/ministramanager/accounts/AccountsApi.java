package dev.ministramanager.accounts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.IdempotencyKeys;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.security.ApiGate;
import dev.ministramanager.security.ApiPrincipal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The REST side of accounts and dead letters: takes what the API gate left on the exchange (principal, visible
 * companies, the parsed body), settles the one company a request is about, applies {@code Idempotency-Key} to every
 * POST and {@code If-Match} to every change, and writes the answer with its ETag.
 */
public class AccountsApi {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String IF_MATCH = "If-Match";
    private static final String PROVISIONED = "provisioned";

    private final AccountCommands commands;
    private final AccountStatuses statuses;
    private final AccountQueries queries;
    private final DeadLetters deadLetters;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;
    private final Duration provisionMaxWait;
    private final PasswordGenerator passwords;

    public AccountsApi(AccountCommands commands, AccountStatuses statuses, AccountQueries queries,
                       DeadLetters deadLetters, IdempotencyKeys idempotency, ObjectMapper json,
                       Duration provisionMaxWait, PasswordGenerator passwords) {
        this.commands = commands;
        this.statuses = statuses;
        this.queries = queries;
        this.deadLetters = deadLetters;
        this.idempotency = idempotency;
        this.json = json;
        this.provisionMaxWait = provisionMaxWait;
        this.passwords = passwords;
    }

    public void create(Exchange exchange) {
        NewAccount request = exchange.getMessage().getBody(NewAccount.class);
        long companyId = ApiGate.requireCompany(exchange, request.companyId());
        String status = Objects.requireNonNullElse(request.status(), "active");
        OneTimePassword password = new OneTimePassword(request.password(), passwords);
        ApiReply reply = idempotent(exchange, () -> companyId + "|" + describe(request),
                () -> password.note(commands.create(companyId, request, status, password.value(),
                        password.generated(), actor(exchange))));
        password.reveal(reply).writeTo(exchange);
    }

    /**
     * Creates an account and pushes it, with the request's status or the company's {@code defaultProvisionStatus};
     * with {@code ?wait=<seconds>} the route then waits ({@link ProvisionWaits}) and {@link #provisionAnswer}
     * answers once Ministra has it (201) or the wait ran out (202).
     */
    public void provision(Exchange exchange) {
        NewAccount request = exchange.getMessage().getBody(NewAccount.class);
        if (request.isDraft()) {
            throw ProblemException.invalidField("draft", "Provision pushes at once; create a draft with POST"
                    + " /api/v1/accounts.");
        }
        long companyId = ApiGate.requireCompany(exchange, request.companyId());
        Duration wait = waitOf(exchange.getMessage().getHeader("wait", String.class));
        OneTimePassword password = new OneTimePassword(request.password(), passwords);
        ApiReply created = idempotent(exchange, () -> companyId + "|" + describe(request),
                () -> password.note(commands.create(companyId, request, request.status() != null ? request.status()
                        : commands.defaultProvisionStatus(companyId), password.value(), password.generated(),
                        actor(exchange))));
        long deadline = System.nanoTime() + wait.toNanos();
        StoredAccount account = queries.get(companyId, request.login());
        exchange.setVariable(PROVISIONED, new Provisioned(companyId, request.login(), created, password, account));
        exchange.setVariable(ProvisionWaits.WAIT, new ProvisionWaits.Wait(account.id(), isSettled(account),
                deadline));
    }

    /** The answer to a provision, after its wait: the account as it stands now. */
    public void provisionAnswer(Exchange exchange) {
        Provisioned provisioned = exchange.getVariable(PROVISIONED, Provisioned.class);
        StoredAccount account = exchange.getVariable(ProvisionWaits.WAIT, ProvisionWaits.Wait.class).settled()
                ? provisioned.account() : queries.get(provisioned.companyId(), provisioned.login());
        ApiReply created = provisioned.created();
        Map<String, Object> body = new LinkedHashMap<>(account.view());
        if (!created.replayed()) {
            provisioned.password().revealIn(body);
        } else if (OneTimePassword.wasGenerated(created, json)) {
            OneTimePassword.noteShownBefore(body);
        }
        new ApiReply(account.sync().state().equals("synced") ? 201 : 202, body, created.location(), account.etag(),
                created.replayed()).writeTo(exchange);
    }

    /** What {@link #provision} leaves for {@link #provisionAnswer}: the account as read right after its creation. */
    private record Provisioned(long companyId, String login, ApiReply created, OneTimePassword password,
                               StoredAccount account) {
    }

    /** Rotates the subscriber password: the given one, or a generated one shown once in this answer. */
    public void password(Exchange exchange) {
        PasswordChange request = exchange.getMessage().getBody(PasswordChange.class);
        long companyId = ApiGate.requireCompany(exchange);
        String login = login(exchange);
        OneTimePassword password = new OneTimePassword(request == null ? null : request.password(), passwords);
        ApiReply reply = idempotent(exchange, () -> "password|" + companyId + "|" + login + "|"
                        + (request == null ? "" : describe(request)),
                () -> password.note(commands.setPassword(companyId, login, password.value(), password.generated(),
                        actor(exchange))));
        password.reveal(reply).writeTo(exchange);
    }

    /** Activates or deactivates all accounts of a billing customer ({@code POST /customers/{customerRef}/...}). */
    public void customerActivate(Exchange exchange) {
        customerStatus(exchange, "active");
    }

    public void customerDeactivate(Exchange exchange) {
        customerStatus(exchange, "inactive");
    }

    private void customerStatus(Exchange exchange, String status) {
        long companyId = ApiGate.requireCompany(exchange);
        String customerRef = exchange.getMessage().getHeader("customerRef", String.class);
        AccountRules.checkCustomerRef(customerRef);
        idempotent(exchange, () -> "customer|" + status + "|" + companyId + "|" + customerRef,
                () -> ApiReply.of(200, statuses.setCustomerStatus(companyId, customerRef, status, actor(exchange))))
                .writeTo(exchange);
    }

    public Map<String, Object> list(Exchange exchange) {
        Message message = exchange.getMessage();
        return queries.list(companyIds(exchange), exchange.getVariable(ApiGate.COMPANY_ID, Long.class),
                message.getHeader("status", String.class), message.getHeader("tariff", String.class),
                message.getHeader("sync", String.class), message.getHeader("customerRef", String.class),
                message.getHeader("q", String.class), message.getHeader("limit", String.class),
                message.getHeader("cursor", String.class), message.getHeader("online", String.class));
    }

    public void get(Exchange exchange) {
        queries.getWithSnapshot(ApiGate.requireCompany(exchange), login(exchange)).writeTo(exchange);
    }

    public void change(Exchange exchange) {
        AccountChanges changes = exchange.getMessage().getBody(AccountChanges.class);
        commands.change(ApiGate.requireCompany(exchange), login(exchange), changes, ifMatch(exchange), actor(exchange))
                .writeTo(exchange);
    }

    public void delete(Exchange exchange) {
        commands.delete(ApiGate.requireCompany(exchange), login(exchange), ifMatch(exchange), actor(exchange))
                .writeTo(exchange);
    }

    public void activate(Exchange exchange) {
        setStatus(exchange, "active");
    }

    public void deactivate(Exchange exchange) {
        setStatus(exchange, "inactive");
    }

    public void push(Exchange exchange) {
        long companyId = ApiGate.requireCompany(exchange);
        String login = login(exchange);
        idempotent(exchange, () -> "push|" + companyId + "|" + login,
                () -> commands.forcePush(companyId, login, actor(exchange))).writeTo(exchange);
    }

    public List<Map<String, Object>> history(Exchange exchange) {
        return queries.history(ApiGate.requireCompany(exchange), login(exchange));
    }

    public List<Map<String, Object>> deadLetters(Exchange exchange) {
        Message message = exchange.getMessage();
        return deadLetters.list(companyIds(exchange), exchange.getVariable(ApiGate.COMPANY_ID, Long.class),
                message.getHeader("cause", String.class), message.getHeader("status", String.class),
                message.getHeader("olderThanMinutes", String.class));
    }

    public Map<String, Object> deadLetter(Exchange exchange) {
        return deadLetters.get(companyIds(exchange), deadLetterId(exchange));
    }

    public void replayDeadLetter(Exchange exchange) {
        long id = deadLetterId(exchange);
        idempotent(exchange, () -> "replay|" + id,
                () -> ApiReply.of(200, deadLetters.replay(companyIds(exchange), id, actor(exchange))))
                .writeTo(exchange);
    }

    public void replayDeadLetters(Exchange exchange) {
        DeadLetterReplay filter = exchange.getMessage().getBody(DeadLetterReplay.class);
        Long companyId = exchange.getVariable(ApiGate.COMPANY_ID, Long.class);
        idempotent(exchange, () -> "replay-all|" + companyId + "|" + describe(filter),
                () -> ApiReply.of(200, deadLetters.replayAll(companyIds(exchange), companyId, filter,
                        actor(exchange)))).writeTo(exchange);
    }

    public void discardDeadLetter(Exchange exchange) {
        long id = deadLetterId(exchange);
        idempotent(exchange, () -> "discard|" + id,
                () -> ApiReply.of(200, deadLetters.discard(companyIds(exchange), id, actor(exchange))))
                .writeTo(exchange);
    }

    private void setStatus(Exchange exchange, String status) {
        long companyId = ApiGate.requireCompany(exchange);
        String login = login(exchange);
        String ifMatch = ifMatch(exchange);
        idempotent(exchange, () -> status + "|" + companyId + "|" + login + "|" + ifMatch,
                () -> statuses.setStatus(companyId, login, status, ifMatch, actor(exchange))).writeTo(exchange);
    }

    private ApiReply idempotent(Exchange exchange, Supplier<String> request, Supplier<ApiReply> work) {
        ApiPrincipal principal = exchange.getVariable(ApiGate.PRINCIPAL, ApiPrincipal.class);
        String key = exchange.getMessage().getHeader(IDEMPOTENCY_KEY, String.class);
        String route = exchange.getFromRouteId();
        return idempotency.run(principal.userId(), key, () -> route + "|" + request.get(), work);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> companyIds(Exchange exchange) {
        return exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
    }

    private static String actor(Exchange exchange) {
        return exchange.getVariable(ApiGate.ACTOR, String.class);
    }

    private static String login(Exchange exchange) {
        return exchange.getMessage().getHeader("login", String.class);
    }

    private static String ifMatch(Exchange exchange) {
        return exchange.getMessage().getHeader(IF_MATCH, String.class);
    }

    private static long deadLetterId(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("id", String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Dead letter '" + raw + "' not found.");
        }
    }

    private Duration waitOf(String raw) {
        if (raw == null) {
            return Duration.ZERO;
        }
        try {
            long seconds = Long.parseLong(raw.trim());
            if (seconds >= 0 && seconds <= provisionMaxWait.toSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.invalidField("wait", "Parameter 'wait' must be 0 to " + provisionMaxWait.toSeconds()
                + " seconds.");
    }

    private static boolean isSettled(StoredAccount account) {
        return account.sync().state().equals("synced") || account.sync().state().equals("dead");
    }

    /** The request as JSON, for the idempotency fingerprint (only a keyed digest of it is stored). */
    private String describe(Object request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A request must be JSON-serialisable", e);
        }
    }
}
