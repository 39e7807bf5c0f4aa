package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.core.LibStorage;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile request bodies for every endpoint: random bytes, truncated and mutated valid
 * bodies, deep nesting, huge strings and numbers, every field of every request with the wrong JSON
 * type, duplicate fields, bytes that are not UTF-8, empty bodies and odd content types. Each answer
 * must be the protocol's: a 4xx with a JSON {@code Err} a person can act on (no Java class names, no
 * stack trace), or, for bodies that are valid, the normal answer; never an unexpected 500. The plugin
 * must keep serving. The random part uses a fixed seed (printed on failure; rerun with
 * {@code -Dlibstorage.fuzz.seed=N}).
 */
@ExtendWith(LibStorageExtension.class)
class PluginRequestFuzzTest {
    private static final long SEED = Long.getLong("libstorage.fuzz.seed", 0x5EED_2026_0018L);
    private static final String ID = "46b79d9c" + "0".repeat(56);
    private static final List<String> ENDPOINTS = List.of("/Plugin.Activate", "/VolumeDriver.Create", "/VolumeDriver.Remove",
            "/VolumeDriver.Mount", "/VolumeDriver.Unmount", "/VolumeDriver.Path", "/VolumeDriver.Get", "/VolumeDriver.List",
            "/VolumeDriver.Capabilities");
    private static final Set<String> WITHOUT_NAME = Set.of("/Plugin.Activate", "/VolumeDriver.List", "/VolumeDriver.Capabilities");
    /** Library errors a well-formed request may legitimately get (the protocol answers them with 500 + Err). */
    private static final Set<String> LIBRARY_ANSWERS = Set.of("VOLUME_NOT_FOUND", "INVALID_VOLUME_NAME", "INVALID_REQUEST",
            "VOLUME_IN_USE", "VOLUME_SPEC_CONFLICT");
    /** What must never reach a user of the plugin: Java/Jackson internals and stack traces. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)(\\b(java|javax|com|org|sun|jdk)\\.[a-z]+\\.|exception|jackson|streamreadconstraints|jsonnode|linkedhashmap"
                    + "|\\.java:\\d|\\n\\s*at |`[a-z_]+(\\.[a-z_]+)+`|\\[source:|nullpointer|com\\.fasterxml)");

    private enum Expect {
        /** a 4xx JSON error */
        CLIENT_ERROR,
        /** HTTP 200 with an empty Err */
        OK,
        /** whatever a well-formed request may get: 200, a 4xx, or a library error with its own code */
        ANY_PROTOCOL_ANSWER
    }

    private record Case(String label, String endpoint, byte[] body, String contentType, Expect expect) {
        String describe() {
            String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            return label + " " + endpoint + " (" + body.length + " bytes" + (contentType == null ? "" : ", " + contentType)
                    + "): " + text + (body.length > 160 ? "..." : "");
        }
    }

    @TempDir
    Path dir;
    private DockerVolumePlugin plugin;
    private final List<String> failures = new ArrayList<>();
    private int aliveChecks;

    @BeforeEach
    void start(LibStorage storage) {
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("fz" + UUID.randomUUID().toString().substring(0, 8))
                .socketDirectory(dir.resolve("plugins")).build());
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.close();
        }
    }

    @Test
    void everyMalformedBodyGetsA4xxJsonErrorAndThePluginKeepsServing() {
        List<List<Case>> groups = List.of(emptyBodies(), wholeBodiesOfTheWrongType(), fieldsOfTheWrongType(), truncatedBodies(),
                deepNesting(), hugeStringsAndNumbers(), duplicateFields(), notUtf8(), validBodiesWithOddContentTypes(),
                randomBodies(new Random(SEED)));
        int count = 0;
        for (List<Case> group : groups) {
            for (Case c : group) {
                check(c);
                count++;
            }
            assertStillServes();
        }
        assertThat(failures).as("%d of %d requests were not answered as the protocol wants (seed %d; rerun with"
                + " -Dlibstorage.fuzz.seed=%d):%n%s", failures.size(), count, SEED, SEED, String.join("\n", failures)).isEmpty();
        assertThat(plugin.isRunning()).isTrue();
    }

    @Test
    void theMessagesSayWhatIsWrong() {
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            RawHttp.Reply deep = http.post("/VolumeDriver.Create", "[".repeat(5000) + "]".repeat(5000));
            assertThat(deep.status()).as(deep.body()).isEqualTo(400);
            assertThat(deep.err()).contains("nested more than 32 levels");
        }
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            RawHttp.Reply longString = http.post("/VolumeDriver.Create", "{\"Name\":\"" + "n".repeat(100_000) + "\"}");
            assertThat(longString.status()).isEqualTo(400);
            assertThat(longString.err()).contains("longer than 65536 characters");
            RawHttp.Reply longNumber = http.post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"size\":" + "9".repeat(5000) + "}}");
            assertThat(longNumber.status()).isEqualTo(400);
            assertThat(longNumber.err()).contains("a number with more than 100 characters");
            RawHttp.Reply missing = http.post("/VolumeDriver.Mount", "{\"ID\":\"" + ID + "\"}");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.code()).isEqualTo("MISSING_FIELD");
            assertThat(missing.err()).isEqualTo("field 'Name' is missing, null or empty: /VolumeDriver.Mount needs the volume's name,"
                    + " e.g. {\"Name\":\"data1\"}");
            RawHttp.Reply twice = http.post("/VolumeDriver.Get", "{\"Name\":\"a\",\"name\":\"b\"}");
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.err()).isEqualTo("field 'Name' is given more than once ('Name', 'name')");
            RawHttp.Reply latin1 = http.post("/VolumeDriver.Get", "{\"Name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), null);
            assertThat(latin1.status()).isEqualTo(400);
            assertThat(latin1.err()).isEqualTo("the request body is not UTF-8 text (byte 0xE9 at offset 12 is not valid UTF-8)");
            RawHttp.Reply truncated = http.post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"size\":\"1\"}");
            assertThat(truncated.status()).isEqualTo(400);
            assertThat(truncated.err()).startsWith("the request body is not valid JSON: ").contains("end-of-input");
        }
    }

    private void check(Case c) {
        RawHttp.Reply r;
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            r = http.post(c.endpoint(), c.body(), c.contentType());
        } catch (RuntimeException | AssertionError e) {
            failures.add(c.describe() + "\n    -> no HTTP answer: " + e);
            return;
        }
        String problem = problem(c, r);
        if (problem != null) {
            failures.add(c.describe() + "\n    -> " + r.status() + " " + abbreviate(r.body()) + "\n    " + problem);
        }
    }

    private static String problem(Case c, RawHttp.Reply r) {
        if (r.header("Content-Type") == null || !r.header("Content-Type").startsWith("application/vnd.docker.plugins.v1.2+json")) {
            return "Content-Type " + r.header("Content-Type");
        }
        JsonNode json;
        try {
            json = r.json();
        } catch (AssertionError e) {
            return "the answer is not JSON";
        }
        if (!json.isObject()) {
            return "the answer is not a JSON object";
        }
        // every answer carries Err, except Activate's {"Implements":[...]}
        boolean activated = r.status() == 200 && json.has("Implements") && c.endpoint().equals("/Plugin.Activate");
        if (!json.path("Err").isTextual() && !activated) {
            return "no textual Err";
        }
        String err = json.path("Err").asText();
        boolean clientError = r.status() >= 400 && r.status() < 500;
        boolean ok = r.status() == 200 && err.isEmpty();
        boolean libraryAnswer = r.status() == 500 && LIBRARY_ANSWERS.contains(json.path("Code").asText());
        if (r.status() != 200 && (err.isBlank() || json.path("Code").asText().isBlank())) {
            return "an error without Err or Code";
        }
        if (INTERNALS.matcher(err).find()) {
            return "the message shows Java internals";
        }
        if (clientError && err.length() > 1000) {
            return "a message of " + err.length() + " characters";
        }
        return switch (c.expect()) {
            case CLIENT_ERROR -> clientError ? null : "expected a 4xx";
            case OK -> ok ? null : "expected 200 with an empty Err";
            case ANY_PROTOCOL_ANSWER -> clientError || ok || libraryAnswer ? null : "expected 200, a 4xx or a library error";
        };
    }

    private void assertStillServes() {
        String name = "alive-" + aliveChecks++;
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            RawHttp.Reply created = http.post("/VolumeDriver.Create", "{\"Name\":\"" + name + "\",\"Opts\":{\"size\":\"1\"}}");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            RawHttp.Reply got = http.post("/VolumeDriver.Get", "{\"Name\":\"" + name + "\"}");
            assertThat(got.status()).as(got.body()).isEqualTo(200);
            assertThat(got.json().at("/Volume/Name").asText()).isEqualTo(name);
        }
    }

    // ---- the cases

    private static List<Case> emptyBodies() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            Expect expect = WITHOUT_NAME.contains(e) ? Expect.OK : Expect.CLIENT_ERROR;
            out.add(new Case("empty body", e, new byte[0], null, expect));
            out.add(new Case("blank body", e, bytes(" \r\n\t"), null, expect));
            out.add(new Case("JSON null body", e, bytes("null"), null, expect));
            out.add(new Case("empty object", e, bytes("{}"), null, expect));
        }
        return out;
    }

    private static List<Case> wholeBodiesOfTheWrongType() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            for (String body : List.of("[]", "[{\"Name\":\"v\"}]", "\"Name\"", "5", "-0.5e3", "true", "false")) {
                out.add(new Case("body of the wrong type", e, bytes(body), null, Expect.CLIENT_ERROR));
            }
        }
        return out;
    }

    private static final List<String> NOT_STRINGS = List.of("5", "-1.5", "true", "false", "[]", "[\"v\"]", "{}", "{\"a\":\"b\"}");

    private static List<Case> fieldsOfTheWrongType() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            if (WITHOUT_NAME.contains(e)) {
                continue;
            }
            for (String nameValue : concat(NOT_STRINGS, List.of("null", "\"\"", "\"   \""))) {
                out.add(new Case("Name " + nameValue, e, bytes("{\"Name\":" + nameValue + "}"), null, Expect.CLIENT_ERROR));
                out.add(new Case("name " + nameValue, e, bytes("{\"name\":" + nameValue + ",\"ID\":\"" + ID + "\"}"), null,
                        Expect.CLIENT_ERROR));
            }
        }
        for (String e : List.of("/VolumeDriver.Mount", "/VolumeDriver.Unmount")) {
            for (String idValue : NOT_STRINGS) {
                out.add(new Case("ID " + idValue, e, bytes("{\"Name\":\"wt\",\"ID\":" + idValue + "}"), null, Expect.CLIENT_ERROR));
            }
            for (String idValue : List.of("\"" + "x".repeat(5000) + "\"", "\"a\\nb\"", "\"a\\u0000b\"", "\" " + ID + "\\t\"")) {
                out.add(new Case("ID " + idValue, e, bytes("{\"Name\":\"wt\",\"ID\":" + idValue + "}"), null, Expect.CLIENT_ERROR));
            }
        }
        for (String optsValue : List.of("[]", "[\"size=1\"]", "\"size=1\"", "5", "true", "{\"size\":{}}", "{\"size\":[]}",
                "{\"size\":[\"1\"]}", "{\"size\":{\"a\":\"1\"}}")) {
            out.add(new Case("Opts " + optsValue, "/VolumeDriver.Create", bytes("{\"Name\":\"wt\",\"Opts\":" + optsValue + "}"), null,
                    Expect.CLIENT_ERROR));
        }
        return out;
    }

    private static List<Case> truncatedBodies() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            String valid = switch (e) {
                case "/VolumeDriver.Create" -> "{\"Name\":\"tr\",\"Opts\":{\"size\":\"1\",\"fsType\":\"ext4\"}}";
                case "/VolumeDriver.Mount", "/VolumeDriver.Unmount" -> "{\"Name\":\"tr\",\"ID\":\"" + ID + "\"}";
                case "/VolumeDriver.Remove", "/VolumeDriver.Path", "/VolumeDriver.Get" -> "{\"Name\":\"tr\"}";
                default -> "{\"Unused\":[1,2,{\"a\":null}]}";
            };
            for (int n = 1; n < valid.length(); n++) {
                out.add(new Case("truncated at " + n, e, bytes(valid.substring(0, n)), null, Expect.CLIENT_ERROR));
            }
        }
        return out;
    }

    private static List<Case> deepNesting() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            for (int depth : new int[] {100, 1001, 5000}) {
                out.add(new Case("arrays " + depth + " deep", e, bytes("[".repeat(depth) + "]".repeat(depth)), null, Expect.CLIENT_ERROR));
                out.add(new Case("unclosed arrays " + depth + " deep", e, bytes("[".repeat(depth)), null, Expect.CLIENT_ERROR));
                out.add(new Case("objects " + depth + " deep", e, bytes("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)), null,
                        Expect.CLIENT_ERROR));
                out.add(new Case("Name " + depth + " deep", e, bytes("{\"Name\":" + "[".repeat(depth) + "]".repeat(depth) + "}"), null,
                        Expect.CLIENT_ERROR));
                out.add(new Case("unknown field " + depth + " deep", e,
                        bytes("{\"Name\":\"dn\",\"X\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"), null, Expect.CLIENT_ERROR));
            }
        }
        for (int depth : new int[] {100, 5000}) {
            out.add(new Case("Opts " + depth + " deep", "/VolumeDriver.Create",
                    bytes("{\"Name\":\"dn\",\"Opts\":{\"size\":" + "[".repeat(depth) + "]".repeat(depth) + "}}"), null, Expect.CLIENT_ERROR));
        }
        return out;
    }

    private static List<Case> hugeStringsAndNumbers() {
        List<Case> out = new ArrayList<>();
        String huge = "h".repeat(200_000);
        String digits = "9".repeat(5000);
        for (String e : ENDPOINTS) {
            out.add(new Case("huge Name", e, bytes("{\"Name\":\"" + huge + "\"}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("huge field name", e, bytes("{\"Name\":\"hs\",\"" + huge + "\":1}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("huge unknown value", e, bytes("{\"Name\":\"hs\",\"X\":\"" + huge + "\"}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("huge number as Name", e, bytes("{\"Name\":" + digits + "}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("huge fraction", e, bytes("{\"Name\":\"hs\",\"X\":0." + digits + "}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("huge number body", e, bytes(digits), null, Expect.CLIENT_ERROR));
            out.add(new Case("body over the size limit", e, bytes("{\"Name\":\"" + "b".repeat(1_100_000) + "\"}"), null, Expect.CLIENT_ERROR));
        }
        out.add(new Case("huge Opts value", "/VolumeDriver.Create", bytes("{\"Name\":\"hs\",\"Opts\":{\"label.a\":\"" + huge + "\"}}"),
                null, Expect.CLIENT_ERROR));
        out.add(new Case("huge Opts number", "/VolumeDriver.Create", bytes("{\"Name\":\"hs\",\"Opts\":{\"size\":" + digits + "}}"),
                null, Expect.CLIENT_ERROR));
        out.add(new Case("huge ID", "/VolumeDriver.Mount", bytes("{\"Name\":\"hs\",\"ID\":\"" + huge + "\"}"), null, Expect.CLIENT_ERROR));
        return out;
    }

    private static List<Case> duplicateFields() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            out.add(new Case("unknown field twice", e, bytes("{\"Name\":\"du\",\"X\":1,\"X\":2}"), null, Expect.CLIENT_ERROR));
            if (WITHOUT_NAME.contains(e)) {
                continue;
            }
            out.add(new Case("Name twice", e, bytes("{\"Name\":\"a\",\"Name\":\"b\"}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("Name and name", e, bytes("{\"Name\":\"a\",\"name\":\"b\"}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("name and NAME, same value", e, bytes("{\"name\":\"a\",\"NAME\":\"a\"}"), null, Expect.CLIENT_ERROR));
            out.add(new Case("Name and null name", e, bytes("{\"Name\":\"a\",\"name\":null}"), null, Expect.CLIENT_ERROR));
        }
        out.add(new Case("Opts twice", "/VolumeDriver.Create", bytes("{\"Name\":\"du\",\"Opts\":{},\"opts\":{\"size\":\"1\"}}"), null,
                Expect.CLIENT_ERROR));
        out.add(new Case("option twice", "/VolumeDriver.Create", bytes("{\"Name\":\"du\",\"Opts\":{\"size\":\"1\",\"size\":\"2\"}}"), null,
                Expect.CLIENT_ERROR));
        out.add(new Case("ID twice", "/VolumeDriver.Mount", bytes("{\"Name\":\"du\",\"ID\":\"a\",\"Id\":\"b\"}"), null, Expect.CLIENT_ERROR));
        return out;
    }

    private static List<Case> notUtf8() {
        List<Case> out = new ArrayList<>();
        for (String e : ENDPOINTS) {
            out.add(new Case("0xFF in a string", e, concat(bytes("{\"Name\":\"a"), hex("ff"), bytes("\"}")), null, Expect.CLIENT_ERROR));
            out.add(new Case("overlong '/'", e, concat(bytes("{\"Name\":\"a"), hex("c0af"), bytes("\"}")), null, Expect.CLIENT_ERROR));
            out.add(new Case("UTF-8 encoded surrogate", e, concat(bytes("{\"Name\":\"a"), hex("eda080"), bytes("\"}")), null,
                    Expect.CLIENT_ERROR));
            out.add(new Case("cut multi-byte character", e, concat(bytes("{\"Name\":\"a"), hex("e282"), bytes("\"}")), null,
                    Expect.CLIENT_ERROR));
            out.add(new Case("Latin-1", e, "{\"Name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), null, Expect.CLIENT_ERROR));
            out.add(new Case("UTF-16 with BOM", e, concat(hex("fffe"), "{\"Name\":\"u16\"}".getBytes(StandardCharsets.UTF_16LE)), null,
                    Expect.CLIENT_ERROR));
            out.add(new Case("0xFF in a field name", e, concat(bytes("{\"Name\":\"a\",\"X"), hex("ff"), bytes("\":1}")), null,
                    Expect.CLIENT_ERROR));
        }
        return out;
    }

    /** Valid bodies, in an order that makes each answer 200, with content types dockerd never sends. */
    private static List<Case> validBodiesWithOddContentTypes() {
        List<Case> out = new ArrayList<>();
        int i = 0;
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
                "application/json; charset=utf-16", "application/octet-stream", "", "*/*")) {
            String v = "ct" + i++;
            out.add(new Case("content type", "/Plugin.Activate", new byte[0], type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Capabilities", bytes("{}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Create", bytes("{\"Name\":\"" + v + "\",\"Opts\":{\"size\":\"1\"}}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Get", bytes("{\"Name\":\"" + v + "\"}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Mount", bytes("{\"Name\":\"" + v + "\",\"ID\":\"" + ID + "\"}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Path", bytes("{\"Name\":\"" + v + "\"}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.List", bytes("{}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Unmount", bytes("{\"Name\":\"" + v + "\",\"ID\":\"" + ID + "\"}"), type, Expect.OK));
            out.add(new Case("content type", "/VolumeDriver.Remove", bytes("{\"Name\":\"" + v + "\"}"), type, Expect.OK));
        }
        return out;
    }

    private static List<Case> randomBodies(Random random) {
        List<Case> out = new ArrayList<>();
        String alphabet = "{}[]\":,.-+eE0123456789 \\/ntrfalsuNameOptsID\u00e9\u20ac";
        List<String> valid = List.of("{\"Name\":\"rnd\",\"Opts\":{\"size\":\"1\"}}", "{\"Name\":\"rnd\",\"ID\":\"" + ID + "\"}", "{}");
        for (int i = 0; i < 150; i++) {
            String e = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            out.add(new Case("random bytes #" + i, e, noise, null, Expect.ANY_PROTOCOL_ANSWER));

            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(120);
            for (int k = 0; k < n; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.add(new Case("random JSON-ish #" + i, e, bytes(text.toString()), null, Expect.ANY_PROTOCOL_ANSWER));

            byte[] mutated = bytes(valid.get(random.nextInt(valid.size())));
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            out.add(new Case("mutated #" + i, e, mutated, null, Expect.ANY_PROTOCOL_ANSWER));
        }
        return out;
    }

    // ---- helpers

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
