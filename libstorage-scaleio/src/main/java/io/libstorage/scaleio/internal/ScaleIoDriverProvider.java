package io.libstorage.scaleio.internal;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;

import java.util.List;

/** The {@code scaleio} storage driver. */
public final class ScaleIoDriverProvider implements StorageDriverProvider {
    @Override
    public String name() {
        return ScaleIoStorageDriver.NAME;
    }

    @Override
    public String description() {
        return "ScaleIO / PowerFlex through its REST gateway; hosts are SDCs";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return ScaleIoSettings.keys();
    }

    @Override
    public void validate(DriverConfig config) {
        ScaleIoSettings.from(config);
    }

    @Override
    public StorageDriver create(DriverContext context) {
        return ScaleIoStorageDriver.connect(ScaleIoSettings.from(context.config()), context.processes(), context.clock(), context.host());
    }
}
