package io.libstorage.core;

import io.libstorage.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed configuration files: every error names the file and a position, never quotes a line of
 * the file (it may hold a password) and never shows a Java, Jackson or SnakeYAML class.
 */
class ConfigFileErrorsTest {
    private static final String SECRET = "Sup3rS3cret";

    /** The message of the error {@code yaml} raises, checked for what no configuration error may contain. */
    private static String error(String yaml) {
        try {
            LibStorageConfig.parse(yaml);
        } catch (InvalidConfigurationException e) {
            return clean(e);
        }
        throw new AssertionError("accepted: " + yaml);
    }

    private static String clean(InvalidConfigurationException e) {
        String m = e.getMessage();
        String lower = m.toLowerCase(Locale.ROOT);
        assertThat(lower).as(m).doesNotContain("java.", "com.fasterxml", "jackson", "snakeyaml", "org.yaml", "exception",
                "linkedhashmap", "cannot construct", "scalar", "<block", "mark");
        assertThat(m).as(m).doesNotContain(SECRET).doesNotContain("Kx9Q").doesNotContain("Zw4J");
        assertThat(e.getCause()).isNull();
        return m;
    }

    @Test
    void syntaxErrorsOnALineWithASecretGiveThePositionOnly() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("libstorage:\n  service: memory\nscaleio:\n  password: Kx9Q: Zw4J\n", "line 4");
        cases.put("scaleio:\n  password: \"" + SECRET + "\n  userName: admin\n", "quoted value is not closed");
        cases.put("scaleio:\n  password: '" + SECRET + "\n", "quoted value is not closed");
        cases.put("scaleio:\n  password: [" + SECRET + "\n", "line");
        cases.put("scaleio:\n  password: {" + SECRET + "\n", "line");
        cases.put("scaleio:\n  password: \"Kx9Q\\q" + SECRET + "\"\n", "line 2");
        cases.put("scaleio:\n  password: Kx9Q\u0001Zw4J" + SECRET + "\n", "line 2");
        cases.put("scaleio:\n  password: *" + SECRET + "\n", "line 2");
        cases.put("scaleio:\n  password: !!python/object " + SECRET + "\n", "line 2");
        cases.put("scaleio:\n  password: " + SECRET + "\n    extra: Kx9Q\n", "line 3");
        cases.put("libstorage:\n\tservice: " + SECRET + "\n", "tab");
        cases.put("libstorage:\n  service: memory\n stateRoot: " + SECRET + "\n", "line 3");
        cases.put("key: [a, b]]\n", "line 1");
        cases.forEach((yaml, expected) -> assertThat(error(yaml)).as(yaml)
                .contains("configuration file '<text>'").contains("not valid YAML").contains(expected));
    }

    @Test
    void theFileMustBeAMapOfSections() {
        for (String yaml : new String[] {"42\n", SECRET + "\n", "- a\n- " + SECRET + "\n", "\"" + SECRET + "\"\n"}) {
            assertThat(error(yaml)).as(yaml).contains("configuration file '<text>'").contains("map of sections");
        }
        assertThat(error("password: " + SECRET + "\n")).contains("'password'").contains("a single value");
        assertThat(error("scaleio: [" + SECRET + ", Kx9Q]\n")).contains("'scaleio'").contains("a list");
        assertThat(error("libstorage: 42\n")).contains("'libstorage'");
    }

    @Test
    void emptyDocumentsAreEmptyConfigurationsButSeveralDocumentsAreNot() {
        for (String yaml : new String[] {"", "\n\n", "# only a comment\n", "---\n", "--- \n...\n", "~\n"}) {
            assertThat(LibStorageConfig.parse(yaml).libstorageSection()).as(yaml).isEmpty();
        }
        assertThat(error("libstorage:\n  service: memory\n---\nscaleio:\n  password: " + SECRET + "\n"))
                .contains("several YAML documents").contains("line 4");
    }

    @Test
    void aliasBombsRecursionAndDeepNestingAreRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [Kx9Q, Kx9Q, Kx9Q, Kx9Q, Kx9Q, Kx9Q, Kx9Q, Kx9Q, Kx9Q]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + p + ", ").repeat(8)).append('*').append(p).append("]\n");
        }
        assertThat(error(bomb.toString())).contains("configuration file '<text>'").contains("alias");
        assertThat(error("a: &x [*x]\n")).contains("configuration file '<text>'");
        assertThat(error("a: &x\n  b: *x\n")).contains("configuration file '<text>'");

        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            deep.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        assertThat(error(deep.toString())).contains("nested");
        assertThat(error("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n")).contains("nested");
    }

    @Test
    void bytesThatAreNotUtf8OrTextAreRefusedWithThePosition(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.yml");
        byte[] head = ("libstorage:\n  service: memory\nscaleio:\n  password: " + SECRET).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9;
        bytes[head.length + 1] = '\n';
        Files.write(latin1, bytes);
        assertThatThrownBy(() -> LibStorageConfig.load(latin1)).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(clean(e)).contains("configuration file '" + latin1 + "'").contains("UTF-8").contains("line 4"));

        Random random = new Random(8);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[random.nextInt(1, 400)];
            random.nextBytes(garbage);
            Path f = dir.resolve("garbage-" + i);
            Files.write(f, garbage);
            try {
                LibStorageConfig.load(f);
            } catch (InvalidConfigurationException e) {
                assertThat(clean(e)).contains("configuration file '" + f + "'");
            }
        }
    }

    @Test
    void aKeyGivenTwiceIsNamedWithBothLines() {
        assertThat(error("scaleio:\n  password: Kx9Q\n  userName: admin\n  password: Zw4J\n"))
                .contains("'scaleio.password'").contains("given twice").contains("line 2").contains("line 4");
        assertThat(error("scaleio:\n  Password: Kx9Q\n  password: Zw4J\n"))
                .contains("'scaleio.password'").contains("line 2").contains("line 3");
        assertThat(error("scaleio:\n  userName: a\nlibstorage:\n  service: scaleio\nscaleio:\n  password: Kx9Q\n"))
                .contains("'scaleio'").contains("line 1").contains("line 5");
        // two spellings that name the same flattened key
        assertThat(error("libstorage:\n  os.driver: memory\n  os:\n    driver: linux\n"))
                .contains("'libstorage.os.driver'").contains("line 2").contains("line 4");
    }

    @Test
    void aMissingFileAndADirectoryAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> LibStorageConfig.load(dir.resolve("absent.yml")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(clean(e)).contains("does not exist"));
        assertThatThrownBy(() -> LibStorageConfig.load(dir))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(clean(e)).contains("configuration file"));
    }
}
