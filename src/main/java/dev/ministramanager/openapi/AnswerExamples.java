package dev.ministramanager.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Gives every JSON success answer a whole example, assembled from its schema: each member's own {@code example}
 * (the answer record's {@code @Schema(example = ...)}), and where a member has none, what its type alone says: an
 * enum's first value, a fixed instant for a date-time, {@code null} for a value that may be null (a record that may
 * be null is shown with its members), {@code true} for a flag. An integrator reads one realistic answer per
 * operation instead of assembling it from member tables, and {@code OpenApiContractTest} checks that each example is
 * an answer the document allows and that every free text and number has an example of its own.
 */
final class AnswerExamples {

    static final String EXAMPLE_INSTANT = "2026-01-15T09:30:00Z";
    private static final String COMPONENTS = "#/components/schemas/";

    private AnswerExamples() {
    }

    static void complete(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getComponents() == null) {
            return;
        }
        Map<String, Schema> components = openApi.getComponents().getSchemas() == null
                ? Map.of() : openApi.getComponents().getSchemas();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getResponses() == null) {
                return;
            }
            operation.getResponses().forEach((code, response) -> {
                MediaType json = code.startsWith("2") && response.getContent() != null
                        ? response.getContent().get("application/json") : null;
                if (json != null && json.getSchema() != null && json.getExample() == null) {
                    json.setExample(exampleOf(json.getSchema(), components, new HashSet<>()));
                }
            });
        }));
    }

    /** The example of a schema, assembled from its members; null for an unknown or recursive reference. */
    static Object exampleOf(Schema<?> schema, Map<String, Schema> components, Set<String> visiting) {
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(COMPONENTS.length());
            Schema<?> target = components.get(name);
            if (target == null || !visiting.add(name)) {
                // an unknown or recursive reference: no example rather than an endless one
                return null;
            }
            Object example = exampleOf(target, components, visiting);
            visiting.remove(name);
            return example;
        }
        if (schema.getExample() != null) {
            return schema.getExample();
        }
        if (schema.getAllOf() != null && schema.getAllOf().size() == 1) {
            // "this type, or null" (NullableReferences): the type's example
            return exampleOf(schema.getAllOf().get(0), components, visiting);
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(0);
        }
        if (Boolean.TRUE.equals(schema.getNullable()) && schema.getProperties() == null) {
            // a value that may be null; a record that may be null is shown with its members
            return null;
        }
        String type = schema.getType() != null ? schema.getType()
                : schema.getProperties() != null ? "object" : "";
        return switch (type) {
            case "array" -> {
                List<Object> items = new ArrayList<>();
                Object item = schema.getItems() == null ? null : exampleOf(schema.getItems(), components, visiting);
                if (item != null) {
                    items.add(item);
                }
                yield items;
            }
            case "object" -> {
                Map<String, Object> members = new LinkedHashMap<>();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((name, member) ->
                            members.put(name, exampleOf(member, components, visiting)));
                }
                yield members;
            }
            case "boolean" -> true;
            case "string" -> switch (schema.getFormat() == null ? "" : schema.getFormat()) {
                case "date-time" -> EXAMPLE_INSTANT;
                case "date" -> EXAMPLE_INSTANT.substring(0, 10);
                // a free text without an example: OpenApiContractTest names the member
                default -> "";
            };
            case "integer", "number" -> schema.getMinimum() != null ? schema.getMinimum() : 0;
            default -> null;
        };
    }
}
