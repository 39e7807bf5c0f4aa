package io.libstorage.core;

import io.libstorage.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibStorageConfigTest {

    @Test
    void readsRexRaysServerServicesShapeWithInheritance() {
        LibStorageConfig c = LibStorageConfig.parse("""
                rexray:
                  logLevel: debug
                libstorage:
                  integration:
                    volume:
                      operations:
                        mount:
                          preempt: true
                        unmount:
                          ignoreUsedCount: true
                  server:
                    scaleio:
                      insecure: true
                    services:
                      scaleio:
                        driver: scaleio
                        scaleio:
                          endpoint: https://10.0.0.1/api
                          userName: admin
                          password: secret
                          systemName: sys1
                scaleio:
                  storagePoolName: pool1
                  insecure: false
                """);
        assertThat(c.libstorageSection()).containsEntry("service", "scaleio")
                .containsEntry("integration.volume.operations.mount.preempt", true)
                .containsEntry("integration.volume.operations.unmount.ignoreUsedCount", true);
        assertThat(c.driverSection("scaleio"))
                .containsEntry("endpoint", "https://10.0.0.1/api")
                .containsEntry("systemName", "sys1")
                .containsEntry("storagePoolName", "pool1")
                .as("the service scope is more specific than the top-level section").containsEntry("insecure", true);
        assertThat(c.rexraySection()).containsEntry("logLevel", "debug");
    }

    @Test
    void readsTheSimpleShape() {
        LibStorageConfig c = LibStorageConfig.parse("""
                libstorage:
                  service: localfs
                  stateRoot: /tmp/state
                localfs:
                  root: /tmp/images
                  extraList: [a, b]
                """);
        assertThat(c.libstorageSection()).containsEntry("service", "localfs").containsEntry("stateRoot", "/tmp/state");
        assertThat(c.driverSection("LOCALFS")).containsEntry("root", "/tmp/images").containsEntry("extraList", List.of("a", "b"));
        assertThat(c.driverSection("absent")).isEmpty();
    }

    @Test
    void theServiceNamesWhichOfSeveralServicesIsUsed() {
        LibStorageConfig c = LibStorageConfig.parse("""
                libstorage:
                  service: fast
                  server:
                    services:
                      slow:
                        driver: scaleio
                        scaleio: {storagePoolName: hdd}
                      fast:
                        driver: scaleio
                        scaleio: {storagePoolName: ssd}
                """);
        assertThat(c.libstorageSection()).containsEntry("service", "scaleio");
        assertThat(c.driverSection("scaleio")).containsEntry("storagePoolName", "ssd");
    }

    @Test
    void malformedFilesAreRejectedWithPositionAndKey() {
        assertThatThrownBy(() -> LibStorageConfig.parse("libstorage:\n  service: [unclosed\n"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("line");
        assertThatThrownBy(() -> LibStorageConfig.parse("libstorage: 42\n"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("libstorage");
        assertThatThrownBy(() -> LibStorageConfig.parse("""
                libstorage:
                  server:
                    services:
                      s1:
                        driver: scaleio
                        sclaeio: {endpoint: x}
                """)).hasMessageContaining("libstorage.server.services.s1.sclaeio");
        assertThatThrownBy(() -> LibStorageConfig.load(java.nio.file.Path.of("/no/such/config.yml")))
                .hasMessageContaining("/no/such/config.yml").hasMessageContaining("does not exist");
    }

    @Test
    void anEmptyFileIsAnEmptyConfiguration() {
        assertThat(LibStorageConfig.parse("  \n").libstorageSection()).isEmpty();
    }
}
