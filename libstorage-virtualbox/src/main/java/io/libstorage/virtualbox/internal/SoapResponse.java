package io.libstorage.virtualbox.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A successful answer: the {@code <returnval>} elements in order. A value is text, or for types returned by value
 * (IMediumAttachment) the map of its fields' text by local name.
 */
public record SoapResponse(String operation, List<Object> values) {
    public SoapResponse {
        values = List.copyOf(values);
    }

    /** The single text value; an answer without one is a protocol error. */
    public String single() {
        if (values.size() != 1 || !(values.get(0) instanceof String s)) {
            throw new SoapFormatException(operation + " answered " + values.size() + " values where one was expected");
        }
        return s;
    }

    /** Every text value (a list-valued attribute such as getMachines). */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new SoapFormatException(operation + " answered a structure where text was expected");
            }
            out.add(s);
        }
        return out;
    }

    /** Every by-value structure. */
    @SuppressWarnings("unchecked")
    public List<Map<String, String>> structs() {
        List<Map<String, String>> out = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Map<?, ?> m) {
                out.add((Map<String, String>) m);
            } else if (!((String) v).isBlank()) {
                throw new SoapFormatException(operation + " answered text where a structure was expected");
            } else {
                out.add(Map.of());
            }
        }
        return out;
    }

    /** An answer the client cannot use: not SOAP, or not the expected response element. */
    public static final class SoapFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SoapFormatException(String message) {
            super(message);
        }
    }
}
