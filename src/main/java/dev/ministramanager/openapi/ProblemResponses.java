package dev.ministramanager.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The answers of an operation: the success answers its verb declares ({@code responseMessage} below 400, JSON, with
 * the schema of its {@code responseModel}), and the RFC 9457 problems it can give, all with the one {@code Problem}
 * schema. Which problems follow from what the operation is, traced to the code that answers them:
 * <ul>
 * <li>400 any request (ApiGate's parameter checks, JsonRequests, TextRules);</li>
 * <li>401 and 429 any authenticated operation and the sign-in (ApiGate: no or bad credentials; FailedAuthentications
 * locks a user name or address after repeated failures, before anything is verified);</li>
 * <li>403 a role above viewer (ApiGate's role check), or a change (a session cookie without its CSRF token);</li>
 * <li>404 a record named in the path, or the {@code company} parameter (a company the caller may not see);</li>
 * <li>409 the operations of {@link #CONFLICTS}, each with the conflict its code answers;</li>
 * <li>412 an {@code If-Match} parameter; 422 an {@code Idempotency-Key} parameter (a key reused with another body);
 * 413 and 415 a request body (ApiConfiguration, JsonRequests).</li>
 * </ul>
 * A problem only one verb gives (422, 429, 502 ...) is declared on the verb, and wins over the rules here.
 */
final class ProblemResponses {

    static final String PROBLEM_REF = "#/components/schemas/Problem";

    /**
     * The operations that answer 409, by operationId, with what conflicts, traced to the code that answers it (a
     * {@code ProblemException.conflict} or a 409 of its own). Where a request stores a unique value (a name, login,
     * account number, MAC, user name), a concurrent request storing the same value meets the database's unique key
     * instead of the check, which ApiResponses answers with 409 too: the same operations. stb-command declares its
     * 409 on the verb.
     */
    static final Map<String, String> CONFLICTS = Map.ofEntries(
            // Companies.create, Companies.update, Companies.refuseSharedMinistra
            Map.entry("companies-create", "A company with this name exists, or another company uses this"
                    + " ministraBaseUrl and the request does not say `sharedMinistra: true`; named in `field`."),
            Map.entry("companies-change", "A company with this name exists, or another company uses this"
                    + " ministraBaseUrl and the request does not say `sharedMinistra: true`; named in `field`."),
            // ApiUserAdmin.create
            Map.entry("api-users-create", "An API user with this username exists."),
            // AccountCommands.create and change (AccountCommands.duplicate)
            Map.entry("accounts-create", "The login, account number or MAC is another account's in this company"
                    + " (or the login's account is still being deleted from Ministra); named in `field`."),
            Map.entry("accounts-provision", "The login, account number or MAC is another account's in this company"
                    + " (or the login's account is still being deleted from Ministra); named in `field`."),
            Map.entry("accounts-change", "The account number or MAC is another account's in this company; named in"
                    + " `field`."),
            // DeadLetters.lockOpen
            Map.entry("dead-letters-replay", "The dead letter is no longer open (replayed or discarded), or its"
                    + " account no longer exists."),
            Map.entry("dead-letters-discard", "The dead letter is no longer open (replayed or discarded), or its"
                    + " account no longer exists."),
            // WebhookLog.replay and discard
            Map.entry("webhook-dead-letters-replay", "The delivery is not an open dead letter."),
            Map.entry("webhook-dead-letters-discard", "The delivery is not an open dead letter."),
            // Reconciliations.start
            Map.entry("reconciliation-run-start", "A reconciliation of this company is running."),
            // Adoptions.adoptOnlyInMinistra
            Map.entry("reconciliation-finding-adopt", "The finding is not an account only Ministra has, its run did"
                    + " not complete, it was adopted already, or we have an account with its login, account number"
                    + " or MAC; named in `field`."),
            // TariffSync.requireEnabled
            Map.entry("tariffs-sync-now", "The company is disabled."),
            // FleetRefresh.refreshNow
            Map.entry("status-refresh-company", "A status refresh of this company is running."));

    private ProblemResponses() {
    }

    static void addSchemaTo(OpenAPI openApi) {
        Schema<Object> problem = new ObjectSchema()
                .description("An RFC 9457 problem: what went wrong, for people (`detail`) and programs (`status`,"
                        + " `field`). Further members may give details (e.g. `position` and `codePoint` of a"
                        + " refused character, `currentVersion` of a stale If-Match).")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().example("Invalid request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("Field 'login' is required."))
                .addProperty("field", new StringSchema().description("the offending request member, parameter or"
                        + " header").example("login"));
        problem.setRequired(List.of("type", "title", "status"));
        // RFC 9457: a problem type may add members of its own
        problem.setAdditionalProperties(true);
        openApi.getComponents().addSchemas("Problem", problem);
    }

    static void complete(Operation operation, PathItem.HttpMethod method, String path) {
        ApiResponses declared = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        declared.remove("default");
        Map<String, ApiResponse> responses = new LinkedHashMap<>();
        declared.forEach((code, response) -> responses.put(code, code.compareTo("400") < 0
                ? success(code, response) : problem(response.getDescription())));
        if (responses.keySet().stream().noneMatch(code -> code.compareTo("400") < 0)) {
            // no success answer declared: left for OpenApiContractTest to name
            operation.setResponses(ContractEnricher.sorted(from(responses)));
            return;
        }
        String role = operation.getExtensions() == null ? null
                : (String) operation.getExtensions().get(ContractEnricher.ROLE_EXTENSION);
        boolean change = method != PathItem.HttpMethod.GET;
        responses.putIfAbsent("400", problem("Invalid request: a malformed, missing or unknown parameter or member,"
                + " named in `field`."));
        responses.putIfAbsent("401", problem("No credentials, or credentials that are not valid (with"
                + " `WWW-Authenticate`)."));
        responses.putIfAbsent("429", problem("Too many failed authentications for this user name or address: try"
                + " again after `Retry-After` seconds."));
        if (!"public".equals(role) && (!"viewer".equals(role) || change)) {
            responses.putIfAbsent("403", problem("The caller's role does not allow this operation, or a change"
                    + " made with the console's session cookie lacks its CSRF token."));
        }
        if (path.contains("{") || has(operation, "company")) {
            responses.putIfAbsent("404", problem("No such record among the companies the caller may see."));
        }
        if (CONFLICTS.containsKey(operation.getOperationId())) {
            responses.putIfAbsent("409", problem(CONFLICTS.get(operation.getOperationId())));
        }
        if (has(operation, "If-Match")) {
            responses.putIfAbsent("412", problem("The If-Match ETag is not the record's current one."));
        }
        if (has(operation, "Idempotency-Key")) {
            responses.putIfAbsent("422", problem("The Idempotency-Key was used before with another request."));
        }
        if (operation.getRequestBody() != null) {
            responses.putIfAbsent("413", problem("The request body is larger than the limit"
                    + " (mm.http.max-body-bytes)."));
            responses.putIfAbsent("415", problem("The request body is not application/json."));
        }
        operation.setResponses(ContractEnricher.sorted(from(responses)));
    }

    private static boolean has(Operation operation, String parameter) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> parameter.equalsIgnoreCase(p.getName()));
    }

    private static ApiResponses from(Map<String, ApiResponse> responses) {
        ApiResponses result = new ApiResponses();
        result.putAll(responses);
        return result;
    }

    private static ApiResponse success(String code, ApiResponse response) {
        if ("204".equals(code)) {
            return response.content(null);
        }
        // without a responseModel on the verb the answer has no schema: OpenApiContractTest names it
        return response;
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description)
                .content(ContractEnricher.json(ContractEnricher.PROBLEM_JSON, new Schema<>().$ref(PROBLEM_REF)));
    }
}
