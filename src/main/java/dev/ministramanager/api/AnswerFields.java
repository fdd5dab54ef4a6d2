package dev.ministramanager.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * Where an answer writes its fields, in order: into a Map (an answer that others add fields to) or straight to the
 * JSON generator ({@link #streamed}: an answer rendered as it is, with no Map per object and no serializer lookup
 * per field). One method writes both, so the two never differ in fields or order; a value that is neither text, a
 * number nor a boolean (a date, a list, a map) goes through the mapper's own serializer, so the bytes are the same.
 */
public interface AnswerFields {

    void put(String name, Object value);

    /** A nested object. */
    void object(String name, Writer nested);

    /** Writes an answer's fields. */
    @FunctionalInterface
    interface Writer {
        void writeTo(AnswerFields fields);
    }

    static Map<String, Object> toMap(Writer writer) {
        Map<String, Object> map = new LinkedHashMap<>();
        writer.writeTo(new AnswerFields() {
            @Override
            public void put(String name, Object value) {
                map.put(name, value);
            }

            @Override
            public void object(String name, Writer nested) {
                map.put(name, toMap(nested));
            }
        });
        return map;
    }

    /** A body {@link ApiResponses} renders as one JSON object, written field by field as it goes. */
    static JsonSerializable streamed(Writer writer) {
        return new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
                try {
                    generator.writeStartObject();
                    writer.writeTo(new GeneratorFields(generator, provider));
                    generator.writeEndObject();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void serializeWithType(JsonGenerator generator, SerializerProvider provider,
                                          TypeSerializer types) throws IOException {
                serialize(generator, provider);
            }
        };
    }

    /** The fields as JSON, as the mapper would write a Map of them. */
    record GeneratorFields(JsonGenerator generator, SerializerProvider provider) implements AnswerFields {

        @Override
        public void put(String name, Object value) {
            try {
                if (value instanceof String text) {
                    generator.writeStringField(name, text);
                } else if (value instanceof Long number) {
                    generator.writeNumberField(name, number);
                } else if (value instanceof Integer number) {
                    generator.writeNumberField(name, number);
                } else if (value instanceof Boolean flag) {
                    generator.writeBooleanField(name, flag);
                } else {
                    provider.defaultSerializeField(name, value, generator);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void object(String name, Writer nested) {
            try {
                generator.writeObjectFieldStart(name);
                nested.writeTo(this);
                generator.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
