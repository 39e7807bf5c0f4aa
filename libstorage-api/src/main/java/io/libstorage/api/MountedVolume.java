package io.libstorage.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of a mount.
 *
 * @param volume the volume as the back end reports it after the attach
 * @param mountPoint where the filesystem root is mounted ({@code <root>/volumes/<name>})
 * @param path the path to hand to the consumer ({@code <mountPoint>/data} by default, so that {@code lost+found}
 *             does not make applications see a non-empty directory)
 * @param device the local block device
 * @param fsType the filesystem on it
 * @param consumers every consumer holding the volume on this host after the call
 * @param consumerAdded whether this call added the caller's consumer to {@code consumers}; {@code false} when it
 *                      held the volume already (a repeated mount), so that a caller undoing a mount it gave up on
 *                      knows whether the consumer was its own to remove
 * @param formatted whether this call formatted the device
 * @param preemption the pre-emption this call performed, if any
 */
public record MountedVolume(Volume volume, Path mountPoint, Path path, Path device, String fsType,
                            Set<ConsumerId> consumers, boolean consumerAdded, boolean formatted, Optional<Preemption> preemption) {
    public MountedVolume {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(fsType, "fsType");
        consumers = Set.copyOf(consumers);
        Objects.requireNonNull(preemption, "preemption");
    }
}
