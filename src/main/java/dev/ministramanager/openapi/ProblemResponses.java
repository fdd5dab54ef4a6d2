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
 * The answers of an operation: the success answers its verb declares ({@code responseMessage} below 400, JSON),
 * and every RFC 9457 problem it can give, all with the one {@code Problem} schema. Which problems an operation can
 * give follows from what it is (ApiGate, JsonRequests, IdempotencyKeys and the HTTP server answer them the same
 * way for every route); problems particular to one operation (409, 429, 502 ...) are declared on its verb.
 */
final class ProblemResponses {

    static final String PROBLEM_REF = "#/components/schemas/Problem";

    /** Problems any operation can answer: bad parameters, no or bad credentials, role too low, unknown record. */
    private static final Map<String, String> ANY = Map.of(
            "400", "Invalid request: a malformed, missing or unknown parameter or member, named in `field`.",
            "401", "No credentials, or credentials that are not valid (with `WWW-Authenticate`).",
            "403", "The caller's role does not allow this operation.",
            "404", "No such record among the companies the caller may see.");
    private static final Map<String, String> WITH_BODY = Map.of(
            "413", "The request body is larger than the limit (mm.http.max-body-bytes).",
            "415", "The request body is not application/json.");
    private static final Map<String, String> WRITE = Map.of(
            "409", "The change conflicts with the current state (e.g. a login, MAC or name already in use, a run"
                    + " already running, a disabled company), named in `field` where it is a request member.",
            "422", "The request cannot be applied as it stands (e.g. an unknown tariff plan), or its Idempotency-Key"
                    + " was used before with another request body.");

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

    static void complete(Operation operation, PathItem.HttpMethod method, boolean hasBody) {
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
        ANY.forEach((code, why) -> responses.putIfAbsent(code, problem(why)));
        if (hasBody) {
            WITH_BODY.forEach((code, why) -> responses.putIfAbsent(code, problem(why)));
        }
        if (method != PathItem.HttpMethod.GET) {
            WRITE.forEach((code, why) -> responses.putIfAbsent(code, problem(why)));
        }
        boolean conditional = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "If-Match".equalsIgnoreCase(p.getName()));
        if (conditional) {
            responses.putIfAbsent("412", problem("The If-Match ETag is not the record's current one."));
        }
        operation.setResponses(ContractEnricher.sorted(from(responses)));
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
        if (response.getContent() == null || response.getContent().isEmpty()
                || response.getContent().values().stream().allMatch(media -> media.getSchema() == null)) {
            // no responseModel on the verb: any JSON value (an object, or a list for listings)
            response.setContent(ContractEnricher.json("application/json", new Schema<>()));
        }
        return response;
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description)
                .content(ContractEnricher.json(ContractEnricher.PROBLEM_JSON, new Schema<>().$ref(PROBLEM_REF)));
    }
}
