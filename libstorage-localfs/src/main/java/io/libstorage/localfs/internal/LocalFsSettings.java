package io.libstorage.localfs.internal;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The localfs configuration section, typed. */
record LocalFsSettings(Path root, Optional<String> hostId, Duration commandTimeout, Duration slowCommandTimeout,
                       Duration lockTimeout, long sizeGranularity) {
    static final String ROOT = "root";
    static final String HOST_ID = "hostId";
    static final String COMMAND_TIMEOUT = "commandTimeout";
    static final String SLOW_COMMAND_TIMEOUT = "slowCommandTimeout";
    static final String LOCK_TIMEOUT = "lockTimeout";
    static final String SIZE_GRANULARITY = "sizeGranularity";

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.stateDirectory(ROOT, "localfs",
                        "directory holding the volume images, snapshots and their metadata; must be local to this host"),
                ConfigKey.optional(HOST_ID, ConfigType.STRING, null,
                        "this host's identity (default: /etc/machine-id, else the host name)"),
                ConfigKey.optional(COMMAND_TIMEOUT, ConfigType.DURATION, "30s",
                        "deadline of each short command (losetup)"),
                ConfigKey.optional(SLOW_COMMAND_TIMEOUT, ConfigType.DURATION, "30m",
                        "deadline of commands that may run long: copying an image (snapshot, create from snapshot)"),
                ConfigKey.optional(LOCK_TIMEOUT, ConfigType.DURATION, "2m",
                        "how long a mutation waits for another one (in any process) on the same root"),
                ConfigKey.optional(SIZE_GRANULARITY, ConfigType.BYTES_WITH_UNIT, "1MiB",
                        "sizes are rounded up to a multiple of this (a multiple of 512 bytes, with a unit: 4KiB, 1MiB, 512B); both sizes are reported"));
    }

    /** The typed settings; no side effect (the provider's validation runs it too). */
    static LocalFsSettings from(DriverConfig c) {
        long granularity = c.bytes(SIZE_GRANULARITY);
        if (granularity <= 0 || granularity % 512 != 0) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration", null, null, LocalFsStorageDriver.NAME),
                    c.section() + "." + SIZE_GRANULARITY, "must be a multiple of 512 bytes, not " + granularity + " bytes");
        }
        Optional<String> host = c.optionalString(HOST_ID).map(String::strip).filter(s -> !s.isEmpty());
        return new LocalFsSettings(c.path(ROOT).toAbsolutePath().normalize(), host, c.duration(COMMAND_TIMEOUT),
                c.duration(SLOW_COMMAND_TIMEOUT), c.duration(LOCK_TIMEOUT), granularity);
    }

    /** Rounds a requested size up to the granularity. */
    long allocate(long requested) {
        return ByteSizes.roundUp(requested, sizeGranularity);
    }
}
