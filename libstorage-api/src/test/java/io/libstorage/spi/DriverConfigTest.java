package io.libstorage.spi;

import io.libstorage.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverConfigTest {
    private final List<ConfigKey> keys = List.of(
            ConfigKey.required("endpoint", ConfigType.STRING, "gateway URL"),
            ConfigKey.optional("insecure", ConfigType.BOOLEAN, "false", "skip TLS verification"),
            ConfigKey.optional("password", ConfigType.SECRET, null, "password"),
            ConfigKey.optional("timeout", ConfigType.DURATION, "30s", "deadline"),
            ConfigKey.optional("size", ConfigType.BYTES, "8GiB", "size"),
            ConfigKey.optional("root", ConfigType.PATH, "/var/lib/x", "root"),
            ConfigKey.optional("count", ConfigType.INTEGER, "3", "count"),
            ConfigKey.optional("hosts", ConfigType.STRING_LIST, null, "hosts"),
            ConfigKey.oneOf("thinOrThick", "ThinProvisioned", "provisioning", "ThinProvisioned", "ThickProvisioned"));

    @Test
    void valuesAreTypedDefaultedAndKeysMatchedCaseInsensitively() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("ENDPOINT", "https://gw/api");
        raw.put("insecure", true);
        raw.put("password", "s3cret");
        raw.put("timeout", "1m30s");
        raw.put("hosts", List.of("a", "b"));
        raw.put("thinorthick", "thickprovisioned");
        DriverConfig c = DriverConfig.parse("scaleio", keys, raw);
        assertThat(c.string("endpoint")).isEqualTo("https://gw/api");
        assertThat(c.bool("insecure")).isTrue();
        assertThat(c.secret("password")).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("s3cret"));
        assertThat(c.duration("timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.bytes("size")).isEqualTo(8L << 30);
        assertThat(c.path("root")).isEqualTo(Path.of("/var/lib/x"));
        assertThat(c.integer("count")).isEqualTo(3);
        assertThat(c.stringList("hosts")).containsExactly("a", "b");
        assertThat(c.string("thinOrThick")).isEqualTo("ThickProvisioned");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.describe()).containsEntry("password", "******").containsEntry("timeout", "1m30s");
    }

    @Test
    void unknownKeysAreRejectedWithTheirFullName() {
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "sytemName", "y")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("scaleio.sytemName").hasMessageContaining("unknown key");
    }

    @Test
    void missingRequiredKeysAndMalformedValuesAreRejected() {
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.endpoint");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "insecure", "yes")))
                .hasMessageContaining("scaleio.insecure");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "timeout", "soon")))
                .hasMessageContaining("scaleio.timeout");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "thinOrThick", "fat")))
                .hasMessageContaining("ThinProvisioned");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "Insecure", "true", "insecure", "false")))
                .hasMessageContaining("twice");
    }

    @Test
    void malformedSecretsAreNotEchoed() {
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "password", List.of("s3cret"))))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void everyProblemOfASectionIsReportedAtOnceWithSuggestions() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("endpont", "x");
        raw.put("insecure", "maybe");
        raw.put("timeout", "soon");
        raw.put("passwrod", "s3cret");
        raw.put("stateRoot", "/x");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, raw, Path.of("/s"), List.of("libstorage.stateRoot")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.keys()).containsExactly("scaleio.endpont", "scaleio.insecure", "scaleio.timeout",
                            "scaleio.passwrod", "scaleio.stateRoot", "scaleio.endpoint");
                    assertThat(e.getMessage()).startsWith("load configuration failed: 6 configuration problems: 1) ")
                            .contains("'scaleio.endpont': unknown key (did you mean 'scaleio.endpoint'?)")
                            .contains("'scaleio.insecure': 'maybe' is not true or false")
                            .contains("'scaleio.timeout': 'soon' is not a duration")
                            .contains("(did you mean 'scaleio.password'?)")
                            .contains("'scaleio.stateRoot': unknown key (did you mean 'libstorage.stateRoot'?)")
                            .contains("'scaleio.endpoint': required but not set")
                            .doesNotContain("s3cret").doesNotContain("java.").doesNotContain("For input string");
                });
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "count", "many")))
                .hasMessageContaining("'many' is not a whole number").hasMessageNotContaining("NumberFormat");
        assertThatThrownBy(() -> DriverConfig.parse("scaleio", keys, Map.of("endpoint", "x", "password", Map.of("a", "s3cret"))))
                .hasMessageContaining("scaleio.password").hasMessageContaining("not a list or section").hasMessageNotContaining("s3cret");
    }

    @Test
    void directoriesDefaultUnderTheStateRootAndSizesPrintWithUnits() {
        List<ConfigKey> declared = List.of(ConfigKey.stateDirectory("root", "mydriver", "where it writes"),
                ConfigKey.optional("size", ConfigType.BYTES, "1.5", "size"),
                ConfigKey.optional("granularity", ConfigType.BYTES_WITH_UNIT, "4KiB", "granularity"));
        DriverConfig c = DriverConfig.parse("mydriver", declared, Map.of(), Path.of("/scratch/state"), List.of());
        assertThat(c.path("root")).isEqualTo(Path.of("/scratch/state/mydriver"));
        assertThat(c.stateRoot()).isEqualTo(Path.of("/scratch/state"));
        assertThat(c.bytes("size")).isEqualTo(3L << 29);
        assertThat(c.describe()).containsEntry("root", "/scratch/state/mydriver").containsEntry("size", "1536MiB")
                .containsEntry("granularity", "4KiB");
        assertThat(declared.get(0).defaultValue()).isEqualTo("<stateRoot>/mydriver");
        assertThat(DriverConfig.parse("mydriver", declared, Map.of("root", "/elsewhere")).path("root")).isEqualTo(Path.of("/elsewhere"));
        assertThat(DriverConfig.parse("mydriver", declared, Map.of()).path("root")).isEqualTo(Path.of("/var/lib/libstorage/mydriver"));
        assertThatThrownBy(() -> DriverConfig.parse("mydriver", declared, Map.of("granularity", "4096")))
                .hasMessageContaining("'mydriver.granularity': '4096' needs a unit here: write 4096B for bytes");
        assertThatThrownBy(() -> ConfigKey.optional("x", ConfigType.STRING, "<stateRoot>/x", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
