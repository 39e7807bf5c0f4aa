package io.libstorage.spi;

import io.libstorage.api.VolumeEventListener;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the runtime hands an {@link IntegrationDriverProvider}.
 *
 * @param storage the storage driver
 * @param os the OS driver
 * @param config the integration section, validated against the provider's keys
 * @param stateRoot this host's durable state directory
 * @param events where to report what was done
 * @param clock the clock
 */
public record IntegrationContext(StorageDriver storage, OSDriver os, DriverConfig config, Path stateRoot,
                                 VolumeEventListener events, Clock clock) {
    public IntegrationContext {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
    }
}
