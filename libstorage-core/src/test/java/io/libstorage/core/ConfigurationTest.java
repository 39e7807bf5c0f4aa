package io.libstorage.core;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LibStorage built from REX-Ray style YAML, choosing its drivers by name: those found on the class path
 * (the linux OS driver, the docker integration driver) and an in-memory cluster's, wired into the catalog.
 */
class ConfigurationTest {
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final DriverCatalog catalog = DriverCatalog.load()
            .withStorageDrivers(cluster.storageDriverProvider()).withOsDrivers(cluster.osDriverProvider());

    @AfterEach
    void close() {
        cluster.close();
    }

    private LibStorage.Builder builder() {
        return LibStorage.builder().catalog(catalog);
    }

    private String yaml(Path dir, String extra) {
        return """
                libstorage:
                  service: memory
                  os:
                    driver: memory
                  stateRoot: %s
                  integration:
                    volume:
                      operations:
                        mount:
                          preempt: true
                        create:
                          default:
                            size: 1
                            fsType: xfs
                memory:
                  host: node-a
                %s
                """.formatted(dir, extra);
    }

    @Test
    void aRexRayStyleFileBuildsAWorkingInstance(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, yaml(dir, ""));
        try (LibStorage ls = builder().config(LibStorageConfig.load(file)).build()) {
            assertThat(ls.localHost().value()).isEqualTo("node-a");
            assertThat(ls.defaultSpec().fsType()).contains("xfs");
            assertThat(ls.defaultSpec().sizeBytes()).isEqualTo(1L << 30);
            var m = ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
            assertThat(m.fsType()).isEqualTo("xfs");
            assertThat(m.mountPoint()).isEqualTo(dir.resolve("volumes").resolve("v"));
            assertThat(ls.effectiveConfiguration())
                    .containsEntry("libstorage.service", "memory")
                    .containsEntry("libstorage.integration.volume.operations.mount.preempt", "true")
                    .containsEntry("memory.host", "node-a");
            ls.unmount("v", ConsumerId.of("c"));
        }
    }

    @Test
    void unknownKeysAnywhereFailAtLoadTimeNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> builder().config(LibStorageConfig.parse(yaml(dir, "")
                .replace("operations:\n", "operations:\n        mountt:\n          preempt: true\n"))).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("libstorage.integration.volume.operations.mountt.preempt");
        assertThatThrownBy(() -> builder().config(LibStorageConfig.parse(yaml(dir, "scaleo:\n  endpoint: x"))).build())
                .hasMessageContaining("scaleo").hasMessageContaining("memory");
        assertThatThrownBy(() -> builder().config(LibStorageConfig.parse(yaml(dir, "").replace("host: node-a", "hots: node-a")))
                .build())
                .hasMessageContaining("memory.hots");
    }

    @Test
    void contradictoryKeysFail(@TempDir Path dir) {
        String contradictory = yaml(dir, "").replace("preempt: true", "preempt: true\n          preemptionPolicy: NEVER");
        assertThatThrownBy(() -> builder().config(LibStorageConfig.parse(contradictory)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("preemptionPolicy");
    }

    @Test
    void sizesInTheConfigurationUseTheOneGrammarOfByteSizes(@TempDir Path dir) {
        java.util.function.Function<String, LibStorage.Builder> withSize = size -> builder()
                .config(LibStorageConfig.parse(yaml(dir, "").replace("size: 1", "size: " + size)));
        try (LibStorage ls = withSize.apply("1.5").build()) {
            assertThat(ls.defaultSpec().sizeBytes()).isEqualTo(3L << 29);
        }
        assertThat(withSize.apply("512MiB").validate())
                .containsEntry("libstorage.integration.volume.operations.create.default.size", "512MiB");
        String key = "configuration key 'libstorage.integration.volume.operations.create.default.size': ";
        assertThatThrownBy(() -> withSize.apply("-5").validate()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(key + "'-5' is not a positive size").hasMessageContaining("16 is 16GiB")
                .hasMessageNotContaining("1073741824");
        assertThatThrownBy(() -> withSize.apply("1PiB").build()).hasMessageContaining(key + "'1PiB' is too large");
        assertThatThrownBy(() -> withSize.apply("4 parsecs").build()).hasMessageContaining("unknown unit 'parsecs'");
    }

    @Test
    void aDefaultFilesystemTheOsDriverCannotMakeFailsTheOneValidation(@TempDir Path dir) {
        java.util.function.Function<String, LibStorage.Builder> withFs = fs -> builder()
                .config(LibStorageConfig.parse(yaml(dir, "").replace("fsType: xfs", "fsType: " + fs)));
        String key = "libstorage.integration.volume.operations.create.default.fsType";
        assertThatThrownBy(() -> withFs.apply("zfs").validate()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(key).hasMessageContaining("'zfs'").hasMessageContaining("memory OS driver")
                .hasMessageContaining("xfs");
        assertThatThrownBy(() -> withFs.apply("zfs").build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(key);
        assertThat(withFs.apply("btrfs").validate()).containsEntry(key, "btrfs");
        assertThatThrownBy(() -> LibStorage.builder().stateRoot(dir).storageDriver(cluster.storageDriver("h"))
                .set("integration.volume.operations.create.default.fsType", "zfs").validate())
                .as("the linux OS driver, chosen by default").hasMessageContaining("'zfs'").hasMessageContaining("linux OS driver");
    }

    @Test
    void anUnknownDriverNameListsTheAvailableOnes(@TempDir Path dir) {
        assertThatThrownBy(() -> builder().config(LibStorageConfig.parse(yaml(dir, "").replace("service: memory", "service: ebs")))
                .build())
                .hasMessageContaining("ebs").hasMessageContaining("memory");
        assertThatThrownBy(() -> builder().stateRoot(dir).build())
                .hasMessageContaining("libstorage.service").hasMessageContaining("memory");
    }

    @Test
    void builderSettingsOverrideTheFile(@TempDir Path dir) {
        try (LibStorage ls = builder().config(LibStorageConfig.parse(yaml(dir, "")))
                .defaultPreemption(PreemptionPolicy.ALWAYS).storageOption("host", "node-b").build()) {
            assertThat(ls.localHost().value()).isEqualTo("node-b");
            assertThat(ls.effectiveConfiguration())
                    .containsEntry("libstorage.integration.volume.operations.mount.preemptionPolicy", "ALWAYS");
        }
    }

    /** A provider with a password, to show that the effective configuration never prints secrets. */
    final class SecretiveProvider implements StorageDriverProvider {
        @Override
        public String name() {
            return "secretive";
        }

        @Override
        public String description() {
            return "in-memory driver that needs a password";
        }

        @Override
        public List<ConfigKey> configKeys() {
            return List.of(ConfigKey.required("password", ConfigType.SECRET, "the back end's password"),
                    ConfigKey.optional("host", ConfigType.STRING, "secretive-host", "this host's id"));
        }

        @Override
        public StorageDriver create(DriverContext context) {
            return cluster.storageDriver(context.config().string("host"));
        }
    }

    @Test
    void secretsAreRedactedInTheEffectiveConfiguration(@TempDir Path dir) {
        try (LibStorage ls = LibStorage.builder().catalog(catalog.withStorageDrivers(new SecretiveProvider())).storageDriver("secretive")
                .storageOption("password", "hunter2")
                .osDriver("memory").stateRoot(dir).build()) {
            assertThat(ls.effectiveConfiguration()).containsEntry("secretive.password", "******");
            assertThat(ls.effectiveConfiguration().toString()).doesNotContain("hunter2");
        }
    }
}
