package dev.ministramanager.openapi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * A record component that refers to another answer type and may be null (annotated {@code @Schema(nullable =
 * true)}) is written by swagger-core as a bare {@code $ref}, which drops the member's {@code nullable} and
 * description (swagger-core marks the referred type itself nullable instead, which is what lets a validator accept
 * the null the service really answers, e.g. for an account Ministra was never read for). This rewrites each such
 * property as {@code allOf: [$ref]} with {@code nullable: true} and the member's description, the OpenAPI 3.0 way to
 * say "this type, or null", so that the member itself says so.
 */
final class NullableReferences {

    private NullableReferences() {
    }

    static void complete(OpenAPI openApi, Iterable<VerbDefinition> verbs, ClassLoader classes) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Deque<Class<?>> toVisit = new ArrayDeque<>();
        for (VerbDefinition verb : verbs) {
            if (verb.getResponseMsgs() != null) {
                for (ResponseMessageDefinition message : verb.getResponseMsgs()) {
                    load(message.getResponseModel(), classes, toVisit);
                }
            }
        }
        Set<Class<?>> visited = new HashSet<>();
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (!type.isRecord() || !visited.add(type)) {
                continue;
            }
            Schema<?> owner = schemas.get(schemaName(type));
            for (RecordComponent component : type.getRecordComponents()) {
                Class<?> target = referredRecord(component.getGenericType());
                if (target == null) {
                    continue;
                }
                toVisit.push(target);
                // @Schema cannot target a record component: Java gives it to the accessor (and the field) instead
                io.swagger.v3.oas.annotations.media.Schema annotation = component.getAccessor()
                        .getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
                if (owner == null || owner.getProperties() == null || annotation == null || !annotation.nullable()) {
                    continue;
                }
                Schema<?> property = owner.getProperties().get(component.getName());
                if (property != null && property.get$ref() != null) {
                    Schema<Object> nullable = new Schema<>();
                    nullable.setAllOf(List.of(new Schema<>().$ref(property.get$ref())));
                    nullable.setNullable(true);
                    nullable.setDescription(annotation.description().isEmpty() ? null : annotation.description());
                    owner.getProperties().put(component.getName(), nullable);
                }
            }
        }
    }

    private static void load(String className, ClassLoader classes, Deque<Class<?>> into) {
        if (className == null || className.isBlank()) {
            return;
        }
        try {
            into.push(Class.forName(className.replace("[]", ""), false, classes));
        } catch (ClassNotFoundException e) {
            // a model the document cannot resolve either: OpenApiContractTest names the verb
        }
    }

    /** The record a component refers to, directly or as the element of a list; null for anything else. */
    private static Class<?> referredRecord(Type type) {
        if (type instanceof Class<?> plain) {
            return plain.isRecord() ? plain : null;
        }
        if (type instanceof ParameterizedType generic && generic.getActualTypeArguments().length == 1
                && generic.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
            return element;
        }
        return null;
    }

    private static String schemaName(Class<?> type) {
        io.swagger.v3.oas.annotations.media.Schema annotation =
                type.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
        return annotation != null && !annotation.name().isEmpty() ? annotation.name() : type.getSimpleName();
    }
}
