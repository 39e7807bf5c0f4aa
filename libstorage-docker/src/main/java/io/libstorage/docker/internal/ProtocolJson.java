package io.libstorage.docker.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON of the Docker plugin protocol, parsed as leniently as Go's {@code encoding/json} decodes it:
 * an empty or missing body is an empty object, {@code null} fields are absent, and field names
 * match case-insensitively ({@code "name"} is {@code "Name"}). Thread-safe.
 */
public final class ProtocolJson {
    /** The media type dockerd sends in {@code Accept} and that the plugin answers with. */
    public static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1.2+json";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, false);

    private ProtocolJson() {
    }

    /**
     * The request body as an object.
     *
     * @throws ProtocolException (400) when it is not a JSON object
     */
    public static ObjectNode parseObject(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(400, "BAD_JSON", "the request body is not valid JSON: "
                    + e.getOriginalMessage() + " (at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ProtocolException(400, "BAD_JSON", "the request body must be a JSON object, not " + describe(node));
        }
        return (ObjectNode) node;
    }

    /** The field named {@code name} (case-insensitive; an exact match wins), or {@code null} when absent or null. */
    public static JsonNode field(ObjectNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact.isNull() ? null : exact;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    /** A string field, or {@code null} when absent or null. */
    public static String text(ObjectNode object, String name) {
        JsonNode n = field(object, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ProtocolException(400, "BAD_JSON", "field '" + name + "' must be a string, not " + describe(n));
        }
        return n.textValue();
    }

    /**
     * The {@code Opts} map, or {@code null} when absent or null (implicit creation). Numbers and booleans
     * are taken as their text; a JSON null value is the empty string.
     */
    public static Map<String, String> stringMap(ObjectNode object, String name) {
        JsonNode n = field(object, name);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw new ProtocolException(400, "BAD_JSON", "field '" + name + "' must be an object of strings, not " + describe(n));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.put(e.getKey(), "");
            } else if (v.isValueNode()) {
                out.put(e.getKey(), v.asText());
            } else {
                throw new ProtocolException(400, "BAD_JSON", "option '" + e.getKey() + "' of '" + name
                        + "' must be a string, not " + describe(v));
            }
        }
        return out;
    }

    /** Serialises a response body. */
    public static byte[] write(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a response body (client side); {@code null} for an empty body. */
    public static JsonNode readTree(byte[] body) throws JsonProcessingException {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.isBlank() ? null : MAPPER.readTree(text);
    }

    private static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
