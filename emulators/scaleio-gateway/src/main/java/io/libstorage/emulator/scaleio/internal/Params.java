package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request body. Clients send every value as a JSON string ({@code "8388608"}, {@code "TRUE"}); native
 * JSON numbers and booleans are accepted too, booleans case-insensitively (reference 1.7).
 */
public final class Params {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode body;

    private Params(ObjectNode body) {
        this.body = body;
    }

    public static Params empty() {
        return new Params(JsonNodeFactory.instance.objectNode());
    }

    public static Params parse(String text) {
        if (text == null || text.isBlank()) {
            return empty();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw GatewayException.badRequest("Request message is not valid: the body is not well-formed JSON.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw GatewayException.badRequest("Request message is not valid: the body must be a JSON object.");
        }
        return new Params(object);
    }

    /** Whether the parameter is present at all (even as {@code ""} or {@code null}). */
    public boolean has(String name) {
        return body.has(name);
    }

    /** The value as text, or null when absent or JSON null. */
    public String string(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        throw GatewayException.badRequest("Request message is not valid: " + name + " must be a single value.");
    }

    public String required(String name) {
        String v = string(name);
        if (v == null) {
            throw GatewayException.missingParameters(name);
        }
        return v;
    }

    /** A boolean given as {@code true}/{@code "TRUE"}/{@code "false"}…; {@code fallback} when absent. */
    public boolean bool(String name, boolean fallback) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw GatewayException.badRequest("Request message is not valid: " + name + " must be true or false, but its value is " + v + ".");
        };
    }

    /** A whole number given as a JSON number or a string; null when absent. */
    public Long longValue(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw GatewayException.badRequest("Request message is not valid: " + name + " must be a number, but its value is " + v + ".");
        }
    }

    /** A list of strings ({@code "ids":["a","b"]}); null when absent. */
    public List<String> strings(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw GatewayException.badRequest("Request message is not valid: " + name + " must be a list.");
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A list of objects ({@code "snapshotDefs":[{...}]}); null when absent. */
    public List<Params> objects(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw GatewayException.badRequest("Request message is not valid: " + name + " must be a list.");
        }
        List<Params> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!(e instanceof ObjectNode o)) {
                throw GatewayException.badRequest("Request message is not valid: the entries of " + name + " must be objects.");
            }
            out.add(new Params(o));
        }
        return out;
    }
}
