package io.libstorage.virtualbox.internal;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualBoxSettingsTest {
    private static DriverConfig config(Map<String, ?> raw) {
        return DriverConfig.parse(VirtualBoxSettings.SECTION, VirtualBoxSettings.keys(), raw);
    }

    @Test
    void aRexRayConfigurationWorksUnchanged() {
        // the virtualbox: section of REX-Ray's VirtualBox guide, with the key spellings REX-Ray registered
        Map<String, Object> rexray = new LinkedHashMap<>();
        rexray.put("endpoint", "http://10.0.2.2:18083");
        rexray.put("username", "vbox");
        rexray.put("password", "s3cret");
        rexray.put("tls", false);
        rexray.put("volumePath", "/Users/me/VirtualBox/Volumes");
        rexray.put("controllerName", "SATA");
        rexray.put("localMachineNameOrId", "docker-host");
        rexray.put("diskIDPath", "/dev/disk/by-id");
        rexray.put("scsiHostPath", "/sys/class/scsi_host/");
        VirtualBoxSettings s = VirtualBoxSettings.from(config(rexray));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://10.0.2.2:18083"));
        assertThat(s.userName()).isEqualTo("vbox");
        assertThat(s.password().reveal()).isEqualTo("s3cret");
        assertThat(s.skipTlsVerification()).as("REX-Ray's tls: false verified certificates").isFalse();
        assertThat(s.volumePath()).hasValue("/Users/me/VirtualBox/Volumes");
        assertThat(s.controllerName()).isEqualTo("SATA");
        assertThat(s.localMachineNameOrId()).hasValue("docker-host");
        assertThat(s.diskIdPath()).isEqualTo(Path.of("/dev/disk/by-id"));
        assertThat(s.scsiHostPath()).isEqualTo(Path.of("/sys/class/scsi_host"));
    }

    @Test
    void rexRaysDefaultsApplyToAnEmptySection() {
        VirtualBoxSettings s = VirtualBoxSettings.from(config(Map.of()));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://10.0.2.2:18083"));
        assertThat(s.userName()).isEmpty();
        assertThat(s.password().reveal()).isEmpty();
        assertThat(s.skipTlsVerification()).as("REX-Ray's tls: false verified certificates").isFalse();
        assertThat(s.volumePath()).isEmpty();
        assertThat(s.controllerName()).isEqualTo("SATA");
        assertThat(s.localMachineNameOrId()).isEqualTo(Optional.empty());
        assertThat(s.diskIdPath()).isEqualTo(Path.of("/dev/disk/by-id"));
        assertThat(s.scsiHostPath()).isEqualTo(Path.of("/sys/class/scsi_host"));
        assertThat(s.progressTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(VirtualBoxSettings.keys()).extracting(ConfigKey::name).contains("endpoint", "userName", "password", "tls", "volumePath",
                "controllerName", "localMachineNameOrId", "diskIDPath", "scsiHostPath");
    }

    @Test
    void thePasswordIsASecretEverywhereItCouldBePrinted() {
        DriverConfig c = config(Map.of("userName", "vbox", "password", "s3cret"));
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.describe().get("password")).isEqualTo("******");
        assertThat(VirtualBoxSettings.from(c).toString()).doesNotContain("s3cret").contains("******");
        assertThat(VirtualBoxSettings.keys().stream().filter(k -> k.name().equals("password")).findFirst().orElseThrow().secret()).isTrue();
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> VirtualBoxSettings.from(config(Map.of("endpoint", "10.0.2.2:18083"))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("virtualbox.endpoint");
        assertThatThrownBy(() -> VirtualBoxSettings.from(config(Map.of("endpoint", "http://vbox:s3cret@10.0.2.2:18083"))))
                .hasMessageContaining("credentials belong in userName and password").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> VirtualBoxSettings.from(config(Map.of("controllerName", " "))))
                .hasMessageContaining("virtualbox.controllerName");
        assertThatThrownBy(() -> VirtualBoxSettings.from(config(Map.of("progressTimeout", "0s"))))
                .hasMessageContaining("virtualbox.progressTimeout");
        assertThatThrownBy(() -> config(Map.of("insecure", true))).hasMessageContaining("unknown key");
    }
}
