package io.libstorage.testing.internal;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.testing.InMemoryCluster;

import java.util.List;

/** The {@code memory} OS driver: the simulated devices and mount table of one host of a named {@link InMemoryCluster}. */
public final class MemoryOSDriverProvider implements OSDriverProvider {
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
    public OSDriver create(DriverContext context) {
        return InMemoryCluster.named(context.config().string("cluster")).osDriver(context.config().string("host"));
    }
}
