package io.libstorage.docker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The protocol's JSON below the HTTP layer: the edge cases of reading requests and writing answers. */
class ProtocolJsonTest {

    private static Map<String, Object> parse(String body) {
        return ProtocolJson.parseObject(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("BAD_JSON");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void optsNumbersAndBooleansAreTakenAsTheTextJacksonGaveThem() {
        Map<String, String> opts = ProtocolJson.stringMap(parse("{\"Opts\":{\"a\":1,\"b\":-0,\"c\":1.5,\"d\":1e3,"
                + "\"e\":12345678901234567890,\"f\":true,\"g\":false,\"h\":null,\"i\":\"s\",\"j\":-0.0,\"k\":1E-7,"
                + "\"l\":2147483648,\"m\":1e400,\"n\":100e-2}}"), "Opts");
        assertThat(opts).containsExactly(entry("a", "1"), entry("b", "0"), entry("c", "1.5"), entry("d", "1000.0"),
                entry("e", "12345678901234567890"), entry("f", "true"), entry("g", "false"), entry("h", ""), entry("i", "s"),
                entry("j", "-0.0"), entry("k", "1.0E-7"), entry("l", "2147483648"), entry("m", "Infinity"), entry("n", "1.0"));
    }

    @Test
    void optsValuesThatAreNotScalarsAreRefused() {
        assertThatThrownBy(() -> ProtocolJson.stringMap(parse("{\"Opts\":{\"a\":[1]}}"), "Opts"))
                .hasMessage("option 'a' of 'Opts' must be a string, not an array");
        assertThatThrownBy(() -> ProtocolJson.stringMap(parse("{\"Opts\":{\"a\":{}}}"), "Opts"))
                .hasMessage("option 'a' of 'Opts' must be a string, not an object");
        assertThatThrownBy(() -> ProtocolJson.stringMap(parse("{\"Opts\":\"size=1\"}"), "Opts"))
                .hasMessage("field 'Opts' must be an object of strings, not a string");
        assertThat(ProtocolJson.stringMap(parse("{\"Opts\":null}"), "Opts")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void requestsAreMapsListsStringsNumbersBooleansAndNullInTheirOrder() {
        Map<String, Object> request = parse("{\"z\":1,\"a\":[2147483648,12345678901234567890,1.5,true,null,{}],\"m\":{\"y\":\"x\"}}");
        assertThat(request).isInstanceOf(LinkedHashMap.class).containsOnlyKeys("z", "a", "m");
        assertThat(new ArrayList<>(request.keySet())).containsExactly("z", "a", "m");
        assertThat(request.get("z")).isEqualTo(1);
        assertThat((List<Object>) request.get("a")).containsExactly(2147483648L, new BigInteger("12345678901234567890"), 1.5, true,
                null, Map.of());
        assertThat(request.get("m")).isEqualTo(Map.of("y", "x"));
        request.put("added", "by an extension"); // extensions get a map they may change
    }

    @Test
    void emptyBlankAndNullBodiesAreAnEmptyObject() {
        for (String body : new String[] {"", "  \n\t", "null", " null\n"}) {
            Map<String, Object> request = parse(body);
            assertThat(request).as(body).isEmpty();
            request.put("mutable", true);
        }
    }

    @Test
    void bodiesThatAreNotObjectsAreRefusedInWords() {
        assertRefused("[{\"Name\":\"v\"}]", "the request body must be a JSON object, not an array");
        assertRefused("\"v\"", "the request body must be a JSON object, not a string");
        assertRefused("-0.5e3", "the request body must be a JSON object, not a number");
        assertRefused("true", "the request body must be a JSON object, not a boolean");
    }

    @Test
    void anythingAfterTheValueIsRefused() {
        assertRefused("{}{}", "the request body is not valid JSON: Trailing token (of type START_OBJECT) found after value"
                + " (at line 1, column 3)");
        assertRefused("null {}", "the request body is not valid JSON: Trailing token (of type START_OBJECT) found after value"
                + " (at line 1, column 6)");
        assertRefused("{\"Name\":\"v\"}\n\n  [1]", "the request body is not valid JSON: Trailing token (of type START_ARRAY)"
                + " found after value (at line 3, column 3)");
        assertRefused("[1] 2", "the request body is not valid JSON: Trailing token (of type VALUE_NUMBER_INT) found after value"
                + " (at line 1, column 5)");
        assertThat(parse("{\"Name\":\"v\"}\n \t")).containsExactly(entry("Name", "v"));
    }

    @Test
    void duplicateFieldsAreRefusedAtAnyDepthAndInAnyCaseForTheProtocolsFields() {
        assertRefused("{\"Name\":\"a\",\"Name\":\"b\"}", "the request body is not valid JSON: Duplicate field 'Name'"
                + " (at line 1, column 19)");
        assertRefused("{\"Opts\":{\"x\":1,\"x\":2}}", "the request body is not valid JSON: Duplicate field 'x'"
                + " (at line 1, column 19)");
        Map<String, Object> twice = parse("{\"Name\":\"a\",\"nAmE\":\"b\",\"opts\":{},\"OPTS\":{}}");
        assertThatThrownBy(() -> ProtocolJson.text(twice, "Name"))
                .hasMessage("field 'Name' is given more than once ('Name', 'nAmE')");
        assertThatThrownBy(() -> ProtocolJson.stringMap(twice, "Opts"))
                .hasMessage("field 'Opts' is given more than once ('opts', 'OPTS')");
        // option names are the driver's: both cases are kept
        assertThat(ProtocolJson.stringMap(parse("{\"Opts\":{\"x\":1,\"X\":2}}"), "Opts")).containsExactly(entry("x", "1"), entry("X", "2"));
    }

    @Test
    void fieldNamesMatchInAnyCaseAndNullIsAbsent() {
        Map<String, Object> request = parse("{\"NAME\":\"v\",\"id\":null}");
        assertThat(ProtocolJson.text(request, "Name")).isEqualTo("v");
        assertThat(ProtocolJson.text(request, "ID")).isNull();
        assertThatThrownBy(() -> ProtocolJson.text(parse("{\"name\":5}"), "Name")).hasMessage("field 'Name' must be a string, not a number");
        assertThatThrownBy(() -> ProtocolJson.requiredText(parse("{\"Name\":null}"), "Name", "it needs one", "{}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("MISSING_FIELD"));
    }

    @Test
    void theLimitsAreExactAndSaidInWords() {
        assertThat(parse("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}")).containsKey("a");
        assertRefused("{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}",
                "the request body is refused: it is nested more than 32 levels deep (the protocol's requests are 2 deep)");
        assertThat(parse("{\"" + "k".repeat(1024) + "\":1}")).hasSize(1);
        assertRefused("{\"Opts\":{\"" + "k".repeat(1025) + "\":1}}",
                "the request body is refused: it holds a field name longer than 1024 characters");
        assertThat(parse("{\"a\":" + "9".repeat(100) + "}")).hasSize(1);
        assertRefused("{\"a\":" + "9".repeat(101) + "}", "the request body is refused: it holds a number with more than 100 characters");
        assertThat(parse("{\"a\":\"" + "s".repeat(65536) + "\"}")).hasSize(1);
        assertRefused("{\"a\":\"" + "s".repeat(65537) + "\"}", "the request body is refused: it holds a string longer than 65536 characters");
    }

    @Test
    void answersAreCompactWithTheirOrderAndNulls() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", "caf\u00e9 \"q\"\n");
        body.put("Opts", null);
        body.put("Sizes", List.of(1, 2147483648L, 1.5, true));
        body.put("Empty", Map.of());
        body.put("Err", "");
        assertThat(new String(ProtocolJson.write(body), StandardCharsets.UTF_8))
                .isEqualTo("{\"Name\":\"caf\u00e9 \\\"q\\\"\\n\",\"Opts\":null,\"Sizes\":[1,2147483648,1.5,true],\"Empty\":{},\"Err\":\"\"}");
        assertThat(ProtocolJson.toJson(null)).isEqualTo("null");
    }

    @Test
    void answersReadByTheClientAreLenientAboutDuplicatesButNotAboutTrailingTokens() throws Exception {
        assertThat(ProtocolJson.readResponse(" \n".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(ProtocolJson.readResponse("{\"Err\":\"a\",\"Err\":\"b\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("Err", "b"));
        assertThatThrownBy(() -> ProtocolJson.readResponse("{\"Err\":\"\"} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonProcessingException.class);
    }
}
