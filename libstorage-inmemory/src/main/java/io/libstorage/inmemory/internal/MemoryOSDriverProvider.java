package io.libstorage.inmemory.internal;

import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;

import java.util.List;

/**
 * The {@code memory} OS driver of one {@link InMemoryCluster} (see {@link InMemoryCluster#osDriverProvider()}): the
 * simulated devices and mount table of the host its key {@code host} names.
 */
public final class MemoryOSDriverProvider implements OSDriverProvider {
    private final InMemoryCluster cluster;

    public MemoryOSDriverProvider(InMemoryCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "simulated devices and mount table of an in-memory cluster host";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return MemoryStorageDriverProvider.KEYS;
    }

    @Override
    public java.util.Set<String> filesystems() {
        return cluster.filesystems();
    }

    @Override
    public OSDriver create(DriverContext context) {
        return cluster.osDriver(context.config().string("host"));
    }
}
