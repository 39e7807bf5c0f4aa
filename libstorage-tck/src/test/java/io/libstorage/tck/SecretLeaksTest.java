package io.libstorage.tck;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretLeaksTest {
    private static final String SECRET = "S3cr3t:p@ss/w+rd=%!";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheSecretInEveryEncodingAndAtEveryBase64Alignment() {
        for (String user : new String[] {"", "a", "ab", "admin", "administrator"}) {
            assertThat(SecretLeaks.find(">> Authorization: Basic " + b64(user + ":" + SECRET), Map.of("pw", SECRET)))
                    .as("user '%s'", user).isNotEmpty();
        }
        assertThat(SecretLeaks.find("x " + b64(SECRET).replace('+', '-').replace('/', '_'), Map.of("pw", SECRET))).isNotEmpty();
        assertThat(SecretLeaks.find("password=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8), Map.of("pw", SECRET))).isNotEmpty();
        assertThat(SecretLeaks.find(HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8)), Map.of("pw", SECRET))).isNotEmpty();
        assertThat(SecretLeaks.find("line one\nthe " + SECRET + " here", Map.of("pw", SECRET)))
                .singleElement().asString().startsWith("pw as plain text in line 2:");
    }

    @Test
    void textWithoutTheSecretIsClean() {
        String log = "DEBUG org.apache.hc.client5.http.impl.classic.MainClientExec - ex-0000001 executing GET /api/login\n"
                + ">> Authorization: Basic " + b64("admin:S3cr3t:p@ss/w+rd=%?") + "\n";
        assertThat(SecretLeaks.find(log, Map.of("pw", "another-secret-value"))).isEmpty();
    }

    @Test
    void refusesSecretsTooShortToSearchFor() {
        assertThatThrownBy(() -> SecretLeaks.forms("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
