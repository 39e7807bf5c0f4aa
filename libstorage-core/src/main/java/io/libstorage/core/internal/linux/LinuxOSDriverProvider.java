package io.libstorage.core.internal.linux;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;

import java.util.List;

/** Provides the {@link LinuxOSDriver} under the name {@code linux} (the default OS driver). */
public final class LinuxOSDriverProvider implements OSDriverProvider {
    public static final String COMMAND_TIMEOUT = "commandTimeout";
    public static final String MKFS_TIMEOUT = "mkfsTimeout";

    @Override
    public String name() {
        return LinuxOSDriver.NAME;
    }

    @Override
    public String description() {
        return "Linux: blkid and direct reads to probe, mkfs.ext4/xfs/btrfs, mount/umount, /proc/self/mountinfo";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.optional(COMMAND_TIMEOUT, ConfigType.DURATION, "30s",
                        "deadline of each short command (blkid, mount, umount, fsfreeze)"),
                ConfigKey.optional(MKFS_TIMEOUT, ConfigType.DURATION, "10m",
                        "deadline of each mkfs and filesystem grow command (resize2fs, xfs_growfs, btrfs resize)"));
    }

    @Override
    public java.util.Set<String> filesystems() {
        return new java.util.TreeSet<>(FilesystemType.names());
    }

    @Override
    public OSDriver create(DriverContext context) {
        return new LinuxOSDriver(context.processes(), context.config().duration(COMMAND_TIMEOUT),
                context.config().duration(MKFS_TIMEOUT));
    }
}
