package dev.ministramanager.testsupport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operations the service documents in its served OpenAPI document ({@code /api/v1/openapi.json}): bad-input
 * tests walk them, so a new endpoint or request member is covered without a new test.
 */
public final class OpenApiOperations {

    /** One operation: method, path template, and its JSON request body's members with their schema types. */
    public record Operation(String method, String pathTemplate, String operationId, Map<String, String> bodyMembers) {

        /** The path with each {@code {parameter}} replaced. */
        public String path(Function<String, String> parameterValue) {
            StringBuilder path = new StringBuilder();
            int at = 0;
            while (true) {
                int open = pathTemplate.indexOf('{', at);
                if (open < 0) {
                    return path.append(pathTemplate.substring(at)).toString();
                }
                int close = pathTemplate.indexOf('}', open);
                path.append(pathTemplate, at, open).append(parameterValue.apply(pathTemplate.substring(open + 1,
                        close)));
                at = close + 1;
            }
        }

        @Override
        public String toString() {
            return method + " " + pathTemplate;
        }
    }

    private OpenApiOperations() {
    }

    public static List<Operation> of(ServiceUnderTest service) {
        ApiAnswer document = service.get("/openapi.json", null);
        if (document.status() != 200) {
            throw new AssertionError("No OpenAPI document: " + document);
        }
        JsonNode root = document.json();
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> verbs = path.getValue().fields(); verbs.hasNext(); ) {
                Map.Entry<String, JsonNode> verb = verbs.next();
                JsonNode schema = verb.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema");
                Map<String, String> members = new LinkedHashMap<>();
                JsonNode resolved = resolve(root, schema);
                for (Iterator<Map.Entry<String, JsonNode>> properties = resolved.path("properties").fields();
                     properties.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    members.put(property.getKey(), resolve(root, property.getValue()).path("type").asText("object"));
                }
                operations.add(new Operation(verb.getKey().toUpperCase(), path.getKey(),
                        verb.getValue().path("operationId").asText(), members));
            }
        }
        if (operations.isEmpty()) {
            throw new AssertionError("The OpenAPI document lists no operation");
        }
        return operations;
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/")) {
            JsonNode target = root;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            return target;
        }
        return schema;
    }
}
