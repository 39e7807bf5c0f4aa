package io.libstorage.localfs.internal;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;

import java.util.List;

/**
 * Provides the {@code localfs} driver. {@link #create} makes the root if needed and reconciles it
 * with the kernel's loop devices (see {@link io.libstorage.localfs.LocalFsDriver#reconcileRoot()}).
 */
public final class LocalFsDriverProvider implements StorageDriverProvider {
    @Override
    public String name() {
        return LocalFsStorageDriver.NAME;
    }

    @Override
    public String description() {
        return "sparse image files under a local directory, attached to this host as loop devices; snapshots, grow";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return LocalFsSettings.keys();
    }

    @Override
    public void validate(DriverConfig config) {
        LocalFsSettings.from(config);
    }

    @Override
    public StorageDriver create(DriverContext context) {
        return LocalFsStorageDriver.start(LocalFsSettings.from(context.config()), context.processes(), context.clock(), context.host());
    }
}
