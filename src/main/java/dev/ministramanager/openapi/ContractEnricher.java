package dev.ministramanager.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * Completes the document camel-openapi-java reads from the REST DSL with what the DSL cannot express, from the REST
 * model itself and from rules this package owns:
 * <ul>
 * <li>the verb's {@code description} is split: its first sentence is the operation's {@code summary}, the whole
 * text its {@code description}, followed by the role the verb's {@code security} scope requires;</li>
 * <li>security: the schemes of {@link SecuritySchemes}, any one of which may authenticate each operation;</li>
 * <li>parameters: every path variable, typed, and the constraints of {@link ParameterRules} on every parameter;
 * {@code company} where ApiGate takes it;</li>
 * <li>responses: the verb's {@code responseMessage}s (success answers as JSON with their {@code responseModel}'s
 * schema, error codes as problem+json) plus the problems {@link ProblemResponses} traces to what the operation
 * is, all with the one {@code Problem} schema;</li>
 * <li>examples: a whole example of each JSON success answer, from {@link AnswerExamples};</li>
 * <li>tags: the capabilities in order, each with a description, from {@link CapabilityTags};</li>
 * <li>the event stream, which is served beside the REST DSL: from {@link EventStreamOperation}, then completed like a
 * verb.</li>
 * </ul>
 * What it cannot complete (a verb with no description, no success response, an unknown parameter) it leaves out,
 * and {@code OpenApiContractTest} names it.
 */
final class ContractEnricher {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String ROLE_EXTENSION = "x-required-role";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final Pattern FIRST_SENTENCE = Pattern.compile("^(.+?\\.)(\\s|$)", Pattern.DOTALL);

    private final CamelContext camel;

    ContractEnricher(CamelContext camel) {
        this.camel = camel;
    }

    OpenAPI enrich(OpenAPI openApi) {
        Map<String, VerbDefinition> verbs = verbsByOperationId();
        SecuritySchemes.addTo(openApi);
        ProblemResponses.addSchemaTo(openApi);
        NullableReferences.complete(openApi, verbs.values(), camel.getApplicationContextClassLoader() != null
                ? camel.getApplicationContextClassLoader() : ContractEnricher.class.getClassLoader());
        if (openApi.getPaths() != null) {
            openApi.setPaths(withoutDoubledSlashes(openApi.getPaths()));
            EventStreamOperation.addTo(openApi, camel.getRestConfiguration().getContextPath());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    complete(path, method, operation, verbs.get(operation.getOperationId()))));
        }
        AnswerExamples.complete(openApi);
        CapabilityTags.addTo(openApi);
        return openApi;
    }

    /** A verb of the REST DSL, or the event stream its handler serves beside the REST DSL. */
    private void complete(String path, PathItem.HttpMethod method, Operation operation, VerbDefinition verb) {
        boolean stream = verb == null && EventStreamOperation.ID.equals(operation.getOperationId());
        if (verb == null && !stream) {
            return;
        }
        describe(operation, stream ? EventStreamOperation.DESCRIPTION : verb.getDescriptionText());
        secure(operation, stream ? EventStreamOperation.ROLE : roleOf(verb));
        completeParameters(path, operation);
        if (verb != null) {
            describeFileBody(operation, verb);
        }
        ProblemResponses.complete(operation, method, path);
    }

    /** A verb that takes or gives a file (text/csv): the REST DSL describes neither body. */
    private static void describeFileBody(Operation operation, VerbDefinition verb) {
        if (operation.getRequestBody() == null && "text/csv".equals(verb.getConsumes())) {
            operation.setRequestBody(new io.swagger.v3.oas.models.parameters.RequestBody().required(true)
                    .description("The file").content(new Content().addMediaType("text/csv",
                            new MediaType().schema(new Schema<String>().type("string")))));
        }
        if ("text/csv".equals(verb.getProduces()) && operation.getResponses() != null
                && operation.getResponses().get("200") != null) {
            operation.getResponses().get("200").setContent(new Content().addMediaType("text/csv",
                    new MediaType().schema(new Schema<String>().type("string"))));
        }
    }

    private static void describe(Operation operation, String text) {
        if (text == null || text.isBlank()) {
            operation.setSummary(null);
            return;
        }
        String explanation = text.strip().replaceAll("\\s+", " ");
        Matcher first = FIRST_SENTENCE.matcher(explanation);
        String summary = first.find() ? first.group(1) : explanation;
        operation.setSummary(summary.substring(0, summary.length() - (summary.endsWith(".") ? 1 : 0)));
        operation.setDescription(explanation + (explanation.endsWith(".") ? "" : "."));
    }

    private static String roleOf(VerbDefinition verb) {
        return verb.getSecurity() == null || verb.getSecurity().isEmpty()
                ? null : verb.getSecurity().get(0).getScopes();
    }

    private static void secure(Operation operation, String role) {
        if (role == null) {
            return;
        }
        operation.addExtension(ROLE_EXTENSION, role);
        if (role.equals("public")) {
            // the console's sign-in: it authenticates the caller itself
            operation.setDescription(operation.getDescription() + "\n\nNeeds no authentication.");
            operation.setSecurity(List.of());
            return;
        }
        String needs = "\n\nRequires the role `" + role + "`" + switch (role) {
            case "viewer" -> " (or manager, or admin).";
            case "manager" -> " (or admin).";
            default -> ".";
        };
        operation.setDescription((operation.getDescription() == null ? "" : operation.getDescription()) + needs);
        operation.setSecurity(SecuritySchemes.requirements());
    }

    private static void completeParameters(String path, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        Matcher variables = PATH_VARIABLE.matcher(path);
        while (variables.find()) {
            String name = variables.group(1);
            Parameter declared = find(operation, name, "path");
            parameters.add(declared != null ? declared : new PathParameter().name(name).required(true)
                    .description(name));
        }
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> !"path".equals(p.getIn())).forEach(parameters::add);
        }
        boolean open = operation.getExtensions() != null
                && "public".equals(operation.getExtensions().get(ROLE_EXTENSION));
        if (!open && !path.contains("{companyId}") && !path.startsWith("/companies") && !path.startsWith("/users")
                && parameters.stream().noneMatch(p -> "company".equals(p.getName()))) {
            // ApiGate reads it on every authenticated request (a caller who sees one company may leave it out)
            parameters.add(new QueryParameter().name("company").required(false).description("The company the"
                    + " request is about; needed when the caller may see several companies"));
        }
        for (Parameter parameter : parameters) {
            ParameterRules.schemaOf(operation.getOperationId(), parameter.getName()).ifPresent(rule -> {
                if (parameter.getDescription() == null || parameter.getDescription().isBlank()
                        || parameter.getDescription().equals(parameter.getName())) {
                    parameter.setDescription(rule.getDescription());
                }
                rule.setDescription(null);
                parameter.setSchema(rule);
                parameter.setExample(null);
            });
            if (parameter.getDescription() == null || parameter.getDescription().isBlank()) {
                parameter.setDescription(parameter.getName());
            }
        }
        operation.setParameters(parameters.isEmpty() ? null : parameters);
    }

    private static Parameter find(Operation operation, String name, String in) {
        if (operation.getParameters() == null) {
            return null;
        }
        return operation.getParameters().stream()
                .filter(p -> name.equals(p.getName()) && in.equals(p.getIn())).findFirst().orElse(null);
    }

    /** A rest block with path "/" makes "//accounts/...": the path the server answers is "/accounts/...". */
    private static Paths withoutDoubledSlashes(Paths paths) {
        Paths normalized = new Paths();
        paths.forEach((path, item) -> normalized.addPathItem(path.replaceAll("/{2,}", "/"), item));
        return normalized;
    }

    private Map<String, VerbDefinition> verbsByOperationId() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, VerbDefinition> verbs = new HashMap<>();
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (verb.getId() != null) {
                    verbs.put(verb.getId(), verb);
                }
            }
        }
        return verbs;
    }

    static Content json(String mediaType, Schema<?> schema) {
        return new Content().addMediaType(mediaType, new MediaType().schema(schema));
    }

    static ApiResponses sorted(ApiResponses responses) {
        Map<String, ApiResponse> byCode = new LinkedHashMap<>();
        responses.keySet().stream().sorted().forEach(code -> byCode.put(code, responses.get(code)));
        ApiResponses ordered = new ApiResponses();
        ordered.putAll(byCode);
        return ordered;
    }
}
