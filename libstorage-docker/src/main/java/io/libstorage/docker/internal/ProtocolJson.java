package io.libstorage.docker.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON of the Docker plugin protocol, parsed as leniently as Go's {@code encoding/json} decodes it:
 * an empty or missing body is an empty object, {@code null} fields are absent, and field names
 * match case-insensitively ({@code "name"} is {@code "Name"}). Stricter than Go where Go would guess:
 * a body that is not UTF-8, a field given twice (in any case), and bodies beyond the limits below
 * are errors. Every problem with a request body is a {@link ProtocolException} (400) whose message
 * says what is wrong and where, in words, never with parser internals. Thread-safe.
 */
public final class ProtocolJson {
    /** The media type dockerd sends in {@code Accept} and that the plugin answers with. */
    public static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1.2+json";

    /** Deepest nesting of arrays and objects in a request; the protocol's own requests are 2 deep ({@code Opts}). */
    public static final int MAX_REQUEST_DEPTH = 32;
    /** Longest string value in a request (a volume name has at most 255 characters). */
    public static final int MAX_REQUEST_STRING_CHARS = 64 * 1024;
    /** Longest number in a request. */
    public static final int MAX_REQUEST_NUMBER_CHARS = 100;
    /** Longest field name (or {@code Opts} key) in a request. */
    public static final int MAX_REQUEST_FIELD_NAME_CHARS = 1024;

    /** Requests: strict limits, duplicates are errors (found by the parser, at any depth). */
    private static final JsonFactory REQUEST_FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_REQUEST_DEPTH)
                    .maxStringLength(MAX_REQUEST_STRING_CHARS)
                    .maxNumberLength(MAX_REQUEST_NUMBER_CHARS)
                    .maxNameLength(MAX_REQUEST_FIELD_NAME_CHARS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JSON REQUESTS = JSON.builder(REQUEST_FACTORY)
            .disable(JSON.Feature.USE_DEFERRED_MAPS) // plain LinkedHashMaps, as extensions always got
            .build();

    /**
     * Responses (client side) and writing: Jackson's default limits, the last of duplicate fields wins,
     * null values are written (the client's {@code "Opts":null}).
     */
    private static final JSON RESPONSES = JSON.builder(new JsonFactory())
            .disable(JSON.Feature.USE_DEFERRED_MAPS)
            .disable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .build();

    /** A Jackson hint naming one of its features, e.g. {@code `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS`}. */
    private static final Pattern FEATURE_HINT = Pattern.compile("`[A-Za-z_]+(\\.[A-Za-z_()]+)+`");
    private static final Pattern START_MARKER = Pattern.compile(
            "\\s*\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");

    private ProtocolJson() {
    }

    /**
     * The request body as an object.
     *
     * @throws ProtocolException (400) when it is not UTF-8, not JSON, not an object, or beyond the limits
     */
    public static Map<String, Object> parseObject(byte[] body) {
        String text = utf8(body);
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object value;
        try {
            value = readValue(REQUESTS, text);
        } catch (StreamConstraintsException e) {
            throw badJson(beyondLimits(e));
        } catch (JsonProcessingException e) {
            throw badJson("the request body is not valid JSON: " + describe(e));
        }
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw badJson("the request body must be a JSON object, not " + describe(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    /**
     * The one JSON value of {@code text} as maps, lists, strings, numbers, booleans and null; {@code null}
     * also when it holds no value at all.
     *
     * @throws JsonProcessingException when it is not JSON, beyond the limits, or followed by more than whitespace
     */
    private static Object readValue(JSON json, String text) throws JsonProcessingException {
        try (JsonParser p = json.getStreamingFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return null;
            }
            Object value = json.anyFrom(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value",
                        p.currentTokenLocation());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String has no I/O to fail
        }
    }

    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            int at = in.position();
            String where = at < body.length
                    ? "byte 0x" + HexFormat.of().withUpperCase().toHexDigits(body[at]) + " at offset " + at + " is not valid UTF-8"
                    : "it ends in the middle of a character";
            throw badJson("the request body is not UTF-8 text (" + where + ")");
        }
    }

    /** Which limit a body passed, in words (Jackson names only its own setting). */
    private static String beyondLimits(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage());
        String which;
        if (m.contains("NestingDepth")) {
            which = "it is nested more than " + MAX_REQUEST_DEPTH + " levels deep (the protocol's requests are 2 deep)";
        } else if (m.contains("StringLength")) {
            which = "it holds a string longer than " + MAX_REQUEST_STRING_CHARS + " characters";
        } else if (m.contains("NumberLength")) {
            which = "it holds a number with more than " + MAX_REQUEST_NUMBER_CHARS + " characters";
        } else if (m.contains("NameLength")) {
            which = "it holds a field name longer than " + MAX_REQUEST_FIELD_NAME_CHARS + " characters";
        } else {
            which = "it exceeds the plugin's limits (" + MAX_REQUEST_DEPTH + " levels of nesting, strings of "
                    + MAX_REQUEST_STRING_CHARS + " characters, numbers of " + MAX_REQUEST_NUMBER_CHARS + " characters)";
        }
        return "the request body is refused: " + which;
    }

    /**
     * A parser error in words with its position: Jackson's own message without the parts that speak of
     * Jackson (its source descriptions and hints to enable its features).
     */
    static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        m = START_MARKER.matcher(m).replaceAll(" (opened at line $1, column $2)");
        for (Matcher hint = FEATURE_HINT.matcher(m); hint.find(); hint = FEATURE_HINT.matcher(m)) {
            m = cutBeforeClause(m, hint.start());
        }
        int source = m.indexOf("[Source:");
        if (source >= 0) {
            m = cutBeforeClause(m, source);
        }
        JsonLocation at = e.getLocation();
        String where = at != null && at.getLineNr() > 0 && at.getColumnNr() > 0
                ? " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "";
        return PluginHandler.printable(m.strip()) + where;
    }

    /** {@code m} up to the clause (after the last ':', ';' or '(') that holds position {@code at}. */
    private static String cutBeforeClause(String m, int at) {
        int cut = Math.max(m.lastIndexOf(':', at), Math.max(m.lastIndexOf(';', at), m.lastIndexOf('(', at)));
        String kept = m.substring(0, Math.max(cut, 0)).strip();
        return kept.isEmpty() ? "malformed JSON" : kept;
    }

    /**
     * The field named {@code name} (case-insensitive), or {@code null} when absent or null.
     *
     * @throws ProtocolException (400) when the body holds it more than once (e.g. {@code Name} and {@code name})
     */
    public static Object field(Map<String, Object> object, String name) {
        String found = null;
        Object value = null;
        for (Map.Entry<String, Object> e : object.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                if (found != null) {
                    throw badJson("field '" + name + "' is given more than once ('" + PluginHandler.printable(found) + "', '"
                            + PluginHandler.printable(e.getKey()) + "')");
                }
                found = e.getKey();
                value = e.getValue();
            }
        }
        return value;
    }

    /**
     * A string field that must be present and not blank.
     *
     * @param need what the endpoint needs it for, e.g. "/VolumeDriver.Mount needs the volume's name"
     * @param example a body that has it, e.g. {@code {"Name":"data1"}}
     * @throws ProtocolException (400, {@code MISSING_FIELD}) when it is absent, null or blank; (400) when it is not a string
     */
    public static String requiredText(Map<String, Object> object, String name, String need, String example) {
        String value = text(object, name);
        if (value == null || value.isBlank()) {
            throw new ProtocolException(400, "MISSING_FIELD", "field '" + name + "' is missing, null or empty: " + need
                    + ", e.g. " + example);
        }
        return value;
    }

    /** A string field, or {@code null} when absent or null. */
    public static String text(Map<String, Object> object, String name) {
        Object n = field(object, name);
        if (n == null) {
            return null;
        }
        if (!(n instanceof String s)) {
            throw badJson("field '" + name + "' must be a string, not " + describe(n));
        }
        return s;
    }

    /**
     * The {@code Opts} map, or {@code null} when absent or null (implicit creation). Numbers and booleans
     * are taken as their text; a JSON null value is the empty string.
     */
    public static Map<String, String> stringMap(Map<String, Object> object, String name) {
        Object n = field(object, name);
        if (n == null) {
            return null;
        }
        if (!(n instanceof Map<?, ?> opts)) {
            throw badJson("field '" + name + "' must be an object of strings, not " + describe(n));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : opts.entrySet()) {
            String key = (String) e.getKey();
            Object v = e.getValue();
            if (v == null) {
                out.put(key, "");
            } else if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw badJson("option '" + PluginHandler.printable(key) + "' of '" + name + "' must be a string, not "
                        + describe(v));
            } else {
                out.put(key, asText(v));
            }
        }
        return out;
    }

    /**
     * The text of a parsed value as Jackson's {@code JsonNode.asText()} gives it: a string itself, a number
     * in Java's notation ({@code 1e3} is {@code 1000.0}, {@code -0} is {@code 0}), {@code true}/{@code false};
     * empty for an object or array, {@code null} for null.
     */
    public static String asText(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return "";
        }
        return String.valueOf(value);
    }

    /** Serialises a response body. */
    public static byte[] write(Object body) {
        try {
            return RESPONSES.asBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #write} as text, e.g. for a message. */
    public static String toJson(Object body) {
        return new String(write(body), StandardCharsets.UTF_8);
    }

    /**
     * Parses a response body (client side) as maps, lists, strings, numbers, booleans and null; {@code null}
     * for an empty body.
     */
    public static Object readResponse(byte[] body) throws JsonProcessingException {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.isBlank() ? null : readValue(RESPONSES, text);
    }

    private static ProtocolException badJson(String message) {
        return new ProtocolException(400, "BAD_JSON", message);
    }

    private static String describe(Object value) {
        if (value instanceof List<?>) {
            return "an array";
        } else if (value instanceof Map<?, ?>) {
            return "an object";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        }
        return String.valueOf(value);
    }
}
