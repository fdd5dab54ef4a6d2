package dev.ministramanager.api;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.apache.camel.Exchange;

/**
 * Reads a JSON request body into the type its REST verb declares, strictly: the content type must be JSON, unknown
 * members and wrong types are refused (no scalar coercion at all: {@code true} is no string, {@code 0} no boolean,
 * {@code "1"} no number), every string follows {@link TextRules}, a PATCH member may not be null (leaving a member
 * out keeps its value; null would otherwise be ignored silently), and the type's own {@link Validated#validate()}
 * names any invalid field. This is the one JSON reading configuration of every request body.
 */
public class JsonRequests {

    private final ObjectMapper strict;
    private final long maxBodyBytes;

    /**
     * @param maxBodyBytes the largest JSON body (mm.http.max-body-bytes); the server itself admits bodies up to the
     *                     CSV import's limit
     */
    public JsonRequests(ObjectMapper json, long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.strict = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .registerModule(new SimpleModule("checked-text").addDeserializer(String.class, new CheckedText()));
        for (LogicalType scalar : new LogicalType[] {LogicalType.Boolean, LogicalType.Integer, LogicalType.Float,
            LogicalType.Textual, LogicalType.Enum, LogicalType.DateTime}) {
            strict.coercionConfigFor(scalar)
                    .setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.String, scalar == LogicalType.Textual
                            || scalar == LogicalType.Enum || scalar == LogicalType.DateTime
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, scalar == LogicalType.Textual
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, scalar == LogicalType.Boolean
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, scalar == LogicalType.Integer
                            || scalar == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, scalar == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
    }

    /** Every JSON string member of a request, checked by {@link TextRules} under its field path. */
    private static final class CheckedText extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            String value = p.getText();
            TextRules.check(fieldPath(p.getParsingContext()), value);
            return value;
        }

        private static String fieldPath(JsonStreamContext context) {
            StringBuilder path = new StringBuilder();
            for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
                path.insert(0, at.inArray() ? "[" + at.getCurrentIndex() + "]"
                        : (path.length() > 0 && path.charAt(0) != '[' ? "." : "") + at.getCurrentName());
            }
            return path.toString();
        }
    }

    /** A request type checks its own field rules after parsing. */
    public interface Validated {
        void validate();
    }

    public Object read(Exchange exchange, Class<?> type) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            throw new ProblemException(413, "Payload too large", "The request body exceeds the limit"
                    + " (mm.http.max-body-bytes).", Map.of());
        }
        if (body == null || body.length == 0) {
            // no body at all reads as an empty object: the type's own rules name whatever is required
            body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else if (!isJson(contentType)) {
            throw new ProblemException(415, "Unsupported media type",
                    "The request body must be application/json, not '" + contentType + "'.", Map.of());
        }
        Object value;
        try {
            if ("PATCH".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
                refuseNullMembers(strict.readTree(body));
            }
            value = strict.readValue(body, type);
        } catch (UnrecognizedPropertyException unknown) {
            throw ProblemException.invalidField(unknown.getPropertyName(),
                    "Unknown field '" + unknown.getPropertyName() + "'.");
        } catch (JsonMappingException wrongShape) {
            if (wrongShape.getCause() instanceof ProblemException refusedText) {
                throw refusedText;
            }
            String field = fieldPath(wrongShape);
            if (field.isEmpty()) {
                throw new ProblemException(400, "Invalid request", "The request body must be a JSON object.",
                        Map.of());
            }
            throw ProblemException.invalidField(field, "Field '" + field + "' has the wrong type or format.");
        } catch (InputCoercionException outOfRange) {
            String field = outOfRange.getProcessor() == null ? null
                    : outOfRange.getProcessor().getParsingContext().getCurrentName();
            if (field == null) {
                throw new ProblemException(400, "Invalid request", "A number in the request body is out of range.",
                        Map.of());
            }
            throw ProblemException.invalidField(field, "Field '" + field + "' is out of range.");
        } catch (StreamConstraintsException tooLarge) {
            throw new ProblemException(400, "Invalid request", "The request body exceeds a JSON limit (numbers of at"
                    + " most 1000 digits, strings, nesting).", Map.of());
        } catch (JsonProcessingException malformed) {
            String where = malformed.getLocation() == null ? "" : " (line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr() + ")";
            throw new ProblemException(400, "Invalid request", "The request body is not valid JSON" + where + ".",
                    Map.of());
        } catch (IOException unreadable) {
            throw new ProblemException(400, "Invalid request", "The request body could not be read.", Map.of());
        }
        if (value == null) {
            throw new ProblemException(400, "Invalid request", "The request body must be a JSON object.", Map.of());
        }
        if (value instanceof Validated validated) {
            validated.validate();
        }
        return value;
    }

    /**
     * PATCH means "change the members present"; records cannot tell null from absent, so a null would be ignored
     * while the client believes it cleared the value. Refused instead, naming the member.
     */
    private static void refuseNullMembers(JsonNode tree) {
        if (tree != null && tree.isObject()) {
            tree.fields().forEachRemaining(member -> {
                if (member.getValue().isNull()) {
                    throw ProblemException.invalidField(member.getKey(), "Field '" + member.getKey() + "' must not"
                            + " be null: leave it out to keep its value, or send an empty value where the field can"
                            + " be cleared (e.g. \"stbMac\":\"\").");
                }
            });
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
