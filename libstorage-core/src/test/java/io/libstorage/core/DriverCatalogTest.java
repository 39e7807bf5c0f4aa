package io.libstorage.core;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.core.internal.integration.DefaultIntegrationDriverProvider;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverCatalogTest {

    static final class Named implements StorageDriverProvider {
        private final String name;
        private final List<ConfigKey> keys;

        Named(String name) {
            this(name, List.of());
        }

        Named(String name, List<ConfigKey> keys) {
            this.name = name;
            this.keys = keys;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public List<ConfigKey> configKeys() {
            return keys;
        }

        @Override
        public StorageDriver create(DriverContext context) {
            throw new UnsupportedOperationException("not needed");
        }
    }

    @Test
    void theDefaultIntegrationDriverIsFoundOnTheClassPath() {
        assertThat(DriverCatalog.load().integrationDrivers()).containsKey(DefaultIntegrationDriverProvider.NAME);
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> DriverCatalog.of(List.of(new Named("x"), new Named("x")), List.of(), List.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("two storage driver providers").hasMessageContaining(Named.class.getName());
    }

    @Test
    void providersWiredExplicitlyJoinTheLoadedOnesAndANameStaysUnique() {
        DriverCatalog loaded = DriverCatalog.load();
        Named wired = new Named("wired");

        DriverCatalog both = loaded.withStorageDrivers(wired);

        assertThat(both.storageDriver("wired")).isSameAs(wired);
        assertThat(both.osDrivers()).isEqualTo(loaded.osDrivers());
        assertThat(both.integrationDrivers()).isEqualTo(loaded.integrationDrivers());
        assertThat(loaded.storageDrivers()).doesNotContainKey("wired");
        assertThatThrownBy(() -> both.withStorageDrivers(new Named("wired")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("two storage driver providers");
        assertThatThrownBy(() -> loaded.withOsDrivers(new io.libstorage.core.internal.linux.LinuxOSDriverProvider()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("two OS driver providers");
    }

    @Test
    void anUnknownNameListsTheAvailableOnes() {
        DriverCatalog c = DriverCatalog.of(List.of(new Named("alpha"), new Named("beta")), List.of(), List.of());
        assertThatThrownBy(() -> c.storageDriver("gamma"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gamma").hasMessageContaining("[alpha, beta]").hasMessageContaining("libstorage.service");
    }

    @Test
    void validateChecksEveryKeyWithoutCreatingAnyDriver() {
        Named secretive = new Named("secretive", List.of(ConfigKey.required("password", ConfigType.SECRET, "a password"),
                ConfigKey.optional("endpoint", ConfigType.STRING, "https://x", "where")));
        DriverCatalog c = DriverCatalog.of(List.of(secretive), List.of(new io.libstorage.core.internal.linux.LinuxOSDriverProvider()),
                List.of(new DefaultIntegrationDriverProvider()));
        LibStorageConfig config = LibStorageConfig.parse("""
                libstorage:
                  service: secretive
                  os:
                    driver: none
                secretive:
                  password: hunter2
                """);
        // "none" is no OS driver: validate names it, like build() would, and secretive.create() is never called
        assertThatThrownBy(() -> LibStorage.builder().catalog(c).config(config).validate())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("libstorage.os.driver");

        Map<String, String> effective = LibStorage.builder().catalog(c).config(config).set("os.driver", "linux").validate();
        assertThat(effective).containsEntry("secretive.password", "******").containsEntry("secretive.endpoint", "https://x")
                .containsEntry("libstorage.service", "secretive").containsEntry("libstorage.os.driver", "linux").containsKey("libstorage.integration.volume.operations.mount.preempt");
        assertThat(effective.toString()).doesNotContain("hunter2");

        LibStorageConfig unknown = LibStorageConfig.parse("libstorage:\n  service: secretive\nsecretive:\n  password: x\n  pasword: y\n");
        assertThatThrownBy(() -> LibStorage.builder().catalog(c).config(unknown).validate())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("secretive.pasword");
        assertThat(LibStorage.configKeys()).extracting(ConfigKey::name).contains("service", "stateRoot");
    }
}
