package io.libstorage.api;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A point-in-time copy of a volume.
 *
 * @param id back-end id
 * @param name the user's name for it
 * @param sourceVolume the volume it was taken from
 * @param sizeBytes its size in bytes
 * @param createdAt when it was taken, or {@code null} when the back end does not say
 */
public record Snapshot(SnapshotId id, String name, VolumeId sourceVolume, long sizeBytes, @Nullable Instant createdAt) {
    public Snapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceVolume, "sourceVolume");
    }
}
