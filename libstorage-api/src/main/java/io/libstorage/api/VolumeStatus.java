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
 * @param problem what is wrong with this host's record of the volume (e.g. a damaged state file, and
 *                how to repair it); then {@code consumers} is empty because they are not known, and
 *                {@code path} is what the mount table shows
 */
public record VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers, Optional<String> problem) {
    public VolumeStatus {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(path, "path");
        consumers = Set.copyOf(consumers);
        Objects.requireNonNull(problem, "problem");
    }

    /** A status without a problem. */
    public VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers) {
        this(volume, path, consumers, Optional.empty());
    }
}
