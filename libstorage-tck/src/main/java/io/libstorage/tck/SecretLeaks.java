package io.libstorage.tck;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds secrets in text (a captured log, an error message) in every form a log line could carry them:
 * as they are, URL-encoded, hex, and Base64 (standard and URL-safe alphabet) at each of the three byte
 * alignments, which also finds a secret inside {@code base64(user:secret)} as HTTP Basic sends it.
 *
 * <pre>{@code
 * assertThat(SecretLeaks.find(log, Map.of("password", pw, "token", token))).isEmpty();
 * }</pre>
 */
public final class SecretLeaks {
    private static final int SHORTEST_FORM = 8;

    private SecretLeaks() {
    }

    /**
     * Every line of {@code text} that holds one of {@code secrets} (label to value) in any form, described as
     * {@code "<label> as <form> in line <n>: <line>"}; empty when there is none.
     *
     * @throws IllegalArgumentException for a secret shorter than 8 characters, whose Base64 forms would be too short to
     *                                  tell from chance
     */
    public static List<String> find(String text, Map<String, String> secrets) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            for (Map.Entry<String, String> form : forms(secret.getValue()).entrySet()) {
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].contains(form.getValue())) {
                        found.add(secret.getKey() + " as " + form.getKey() + " in line " + (i + 1) + ": " + lines[i]);
                    }
                }
            }
        }
        return found;
    }

    /** The forms searched for: form name to the text that betrays the secret. */
    public static Map<String, String> forms(String secret) {
        if (secret.length() < SHORTEST_FORM) {
            throw new IllegalArgumentException("a secret to search for needs at least " + SHORTEST_FORM + " characters");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("plain text", secret);
        forms.put("URL encoding", URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.put("URL encoding with %20", URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.put("hex", HexFormat.of().formatHex(bytes));
        forms.put("upper-case hex", HexFormat.of().withUpperCase().formatHex(bytes));
        for (int offset = 0; offset < 3; offset++) {
            String core = base64Core(bytes, offset);
            forms.put("Base64 at byte offset " + offset, core);
            forms.put("URL-safe Base64 at byte offset " + offset, core.replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    /**
     * The characters of {@code base64(prefix + secret)} that depend on the secret's bytes alone, for any prefix whose
     * length is {@code offset} modulo 3: the encoding of the whole 3-byte groups that lie inside the secret.
     */
    private static String base64Core(byte[] secret, int offset) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String encoded = Base64.getEncoder().encodeToString(shifted);
        int firstGroup = (offset + 2) / 3;
        int endGroup = (offset + secret.length) / 3;
        return encoded.substring(firstGroup * 4, endGroup * 4);
    }
}
