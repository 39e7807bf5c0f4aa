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
 * @param unknownHere the facts of the volume this host does not know (it never created nor mounted it, and the back
 *                    end cannot keep them): {@link #NAME}, {@link #REQUESTED_SIZE}, {@link #FS_TYPE}, {@link #PREEMPTION};
 *                    the volume shows a placeholder for each (the back end's name, the allocated size, no filesystem,
 *                    no policy of its own). Empty when everything shown is known
 */
public record VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers, Optional<String> problem,
                           Set<String> unknownHere) {
    /** The user's name of the volume. */
    public static final String NAME = "name";
    /** The size requested at create. */
    public static final String REQUESTED_SIZE = "requestedSize";
    /** The filesystem requested at create. */
    public static final String FS_TYPE = "fsType";
    /** The volume's own takeover policy. */
    public static final String PREEMPTION = "preemption";

    public VolumeStatus {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(path, "path");
        consumers = Set.copyOf(consumers);
        Objects.requireNonNull(problem, "problem");
        unknownHere = Set.copyOf(unknownHere);
    }

    /** A status in which everything shown is known. */
    public VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers, Optional<String> problem) {
        this(volume, path, consumers, problem, Set.of());
    }

    /** A status without a problem. */
    public VolumeStatus(Volume volume, Optional<Path> path, Set<ConsumerId> consumers) {
        this(volume, path, consumers, Optional.empty());
    }
}
