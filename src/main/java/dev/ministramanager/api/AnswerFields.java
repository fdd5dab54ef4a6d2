package dev.ministramanager.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an answer writes its fields, in order: one method of the answer's type writes them, {@link #toMap} makes the
 * Map the mapper renders, and an answer that is part of another (an account's sync state) writes into its parent's.
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
}
