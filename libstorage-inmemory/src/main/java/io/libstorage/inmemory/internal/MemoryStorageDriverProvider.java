package io.libstorage.testing.internal;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.testing.InMemoryCluster;

import java.util.List;

/** The {@code memory} storage driver: one host of a named {@link InMemoryCluster}. */
public final class MemoryStorageDriverProvider implements StorageDriverProvider {
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.optional("cluster", ConfigType.STRING, "default", "name of the in-memory cluster (shared within the JVM)"),
            ConfigKey.optional("host", ConfigType.STRING, "host-1", "this host's id in the cluster"));

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "in-memory simulated storage system with many hosts and fault injection (for tests and demos)";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public StorageDriver create(DriverContext context) {
        return InMemoryCluster.named(context.config().string("cluster")).storageDriver(context.config().string("host"));
    }
}
