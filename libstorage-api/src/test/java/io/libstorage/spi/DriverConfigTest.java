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
}
