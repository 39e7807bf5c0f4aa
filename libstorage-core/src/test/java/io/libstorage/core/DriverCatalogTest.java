package io.libstorage.core;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.core.internal.integration.DefaultIntegrationDriverProvider;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverCatalogTest {

    static final class Named implements StorageDriverProvider {
        private final String name;

        Named(String name) {
            this.name = name;
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
            return List.of();
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
    void anUnknownNameListsTheAvailableOnes() {
        DriverCatalog c = DriverCatalog.of(List.of(new Named("alpha"), new Named("beta")), List.of(), List.of());
        assertThatThrownBy(() -> c.storageDriver("gamma"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gamma").hasMessageContaining("[alpha, beta]").hasMessageContaining("libstorage.service");
    }
}
