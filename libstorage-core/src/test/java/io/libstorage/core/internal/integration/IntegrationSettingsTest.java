package io.libstorage.core.internal.integration;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.spi.DriverConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntegrationSettingsTest {
    private static IntegrationSettings settings(Map<String, Object> raw) {
        return IntegrationSettings.from(DriverConfig.parse("libstorage", IntegrationSettings.keys(), raw, Path.of("/var/lib/ls"), List.of()));
    }

    @Test
    void defaultsAreSafeAndRexRayCompatible() {
        IntegrationSettings s = settings(Map.of());
        assertThat(s.defaultPreemption()).isEqualTo(PreemptionPolicy.NEVER);
        assertThat(s.mountRoot()).isEqualTo(Path.of("/var/lib/ls/volumes"));
        assertThat(s.consumerPath(Path.of("/m/v"))).isEqualTo(Path.of("/m/v/data"));
        assertThat(s.defaultSpec().sizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        assertThat(s.defaultSpec().fsType()).contains("ext4");
        assertThat(s.deviceWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.createImplicit()).isTrue();
    }

    @Test
    void rexRaysPreemptMeansOnlyFromUnreachableOwners() {
        assertThat(settings(Map.of("integration.volume.operations.mount.preempt", true)).defaultPreemption())
                .isEqualTo(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        assertThat(settings(Map.of("integration.volume.operations.mount.preemptionPolicy", "always")).defaultPreemption())
                .isEqualTo(PreemptionPolicy.ALWAYS);
        assertThatThrownBy(() -> settings(Map.of("integration.volume.operations.mount.preempt", true,
                "integration.volume.operations.mount.preemptionPolicy", "NEVER")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("preemptionPolicy");
    }

    @Test
    void theMisspelledRexRayKeyIsRejectedNotIgnored() {
        assertThatThrownBy(() -> settings(Map.of("integration.volume.mount.preempt", true)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("libstorage.integration.volume.mount.preempt");
    }

    @Test
    void defaultSizesAreGibibytesWhenBareAndRootPathsCannotEscape() {
        assertThat(settings(Map.of("integration.volume.operations.create.default.size", 8)).defaultSpec().sizeBytes())
                .isEqualTo(8 * ByteSizes.GIB);
        assertThat(settings(Map.of("integration.volume.operations.create.default.size", "512MiB")).defaultSpec().sizeBytes())
                .isEqualTo(512 * ByteSizes.MIB);
        assertThatThrownBy(() -> settings(Map.of("integration.volume.operations.create.default.size", "0")))
                .hasMessageContaining("create.default.size");
        assertThatThrownBy(() -> settings(Map.of("integration.volume.operations.mount.rootPath", "/../etc")))
                .hasMessageContaining("rootPath");
        assertThat(settings(Map.of("integration.volume.operations.mount.rootPath", "/")).consumerPath(Path.of("/m/v")))
                .isEqualTo(Path.of("/m/v"));
    }

    @Test
    void createDefaultsBecomeDriverOptions() {
        IntegrationSettings s = settings(Map.of("integration.volume.operations.create.default.type", "pool1",
                "integration.volume.operations.create.default.availabilityZone", "pd1",
                "integration.volume.operations.create.default.IOPS", 500));
        assertThat(s.defaultSpec().driverOptions()).containsEntry("type", "pool1")
                .containsEntry("availabilityZone", "pd1").containsEntry("iops", "500");
    }
}
