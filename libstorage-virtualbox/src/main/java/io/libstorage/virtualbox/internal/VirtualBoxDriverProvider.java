package io.libstorage.virtualbox.internal;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;

import java.util.List;

/** The {@code virtualbox} storage driver (REX-Ray's configuration section and keys). */
public final class VirtualBoxDriverProvider implements StorageDriverProvider {
    @Override
    public String name() {
        return VirtualBoxStorageDriver.NAME;
    }

    @Override
    public String description() {
        return "VirtualBox hard disks hot-plugged into this guest's VM through the VirtualBox web service (vboxwebsrv); hosts are VMs";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return VirtualBoxSettings.keys();
    }

    @Override
    public void validate(DriverConfig config) {
        VirtualBoxSettings.from(config).requireVolumePath();
    }

    @Override
    public StorageDriver create(DriverContext context) {
        VirtualBoxSettings settings = VirtualBoxSettings.from(context.config());
        settings.requireVolumePath();
        return VirtualBoxStorageDriver.connect(settings, context.host());
    }
}
