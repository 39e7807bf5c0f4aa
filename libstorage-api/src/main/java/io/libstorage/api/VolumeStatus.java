package io.libstorage.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A volume together with its state on this host.
 *
 * @param volume the volume as the back end reports it
 * @param path the consumer path while the volume is mounted on this host
 * @param consumers who holds it on this host
 */
public record VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers) {
    public VolumeStatus {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(path, "path");
        consumers = Set.copyOf(consumers);
    }
}
