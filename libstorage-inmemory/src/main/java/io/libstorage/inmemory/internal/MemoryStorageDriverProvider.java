package io.libstorage.inmemory.internal;

import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;

import java.util.List;

/**
 * The {@code memory} storage driver of one {@link InMemoryCluster} (see {@link InMemoryCluster#storageDriverProvider()}):
 * the host its key {@code host} names. Not registered with {@link java.util.ServiceLoader}: a provider found
 * there could reach a cluster only through a registry shared by the whole JVM.
 */
public final class MemoryStorageDriverProvider implements StorageDriverProvider {
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.optional("host", ConfigType.STRING, "host-1", "this host's id in the in-memory cluster"));

    private final InMemoryCluster cluster;

    public MemoryStorageDriverProvider(InMemoryCluster cluster) {
        this.cluster = cluster;
    }

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
        return cluster.storageDriver(context.config().string("host"));
    }
}
