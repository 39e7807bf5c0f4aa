package io.libstorage.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A mount on this host whose volume is no longer usable here: its device vanished, returns I/O
 * errors, or the volume is now mapped to another host. It is unmounted lazily and never remounted.
 *
 * @param volumeName the volume
 * @param mountPoint where it was mounted
 * @param reason why it is stale
 */
public record StaleMount(String volumeName, Path mountPoint, String reason) {
    public StaleMount {
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(reason, "reason");
    }
}
