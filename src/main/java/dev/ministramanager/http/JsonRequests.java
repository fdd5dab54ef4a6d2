package dev.ministramanager.http;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.apache.camel.Exchange;

/**
 * Reads a JSON request body into the type its REST verb declares, strictly: the content type must be JSON, unknown
 * members and wrong types are refused, and the type's own {@link Validated#validate()} names any invalid field.
 */
public class JsonRequests {

    private final ObjectMapper strict;

    public JsonRequests(ObjectMapper json) {
        this.strict = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** A request type checks its own field rules after parsing. */
    public interface Validated {
        void validate();
    }

    public Object read(Exchange exchange, Class<?> type) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            // no body at all reads as an empty object: the type's own rules name whatever is required
            body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else if (!isJson(contentType)) {
            throw new ProblemException(415, "Unsupported media type",
                    "The request body must be application/json, not '" + contentType + "'.", Map.of());
        }
        Object value;
        try {
            value = strict.readValue(body, type);
        } catch (UnrecognizedPropertyException unknown) {
            throw ProblemException.invalidField(unknown.getPropertyName(),
                    "Unknown field '" + unknown.getPropertyName() + "'.");
        } catch (JsonMappingException wrongShape) {
            String field = fieldPath(wrongShape);
            if (field.isEmpty()) {
                throw new ProblemException(400, "Invalid request", "The request body must be a JSON object.",
                        Map.of());
            }
            throw ProblemException.invalidField(field, "Field '" + field + "' has the wrong type or format.");
        } catch (JsonProcessingException malformed) {
            throw new ProblemException(400, "Invalid request", "The request body is not valid JSON (line "
                    + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr() + ").",
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
