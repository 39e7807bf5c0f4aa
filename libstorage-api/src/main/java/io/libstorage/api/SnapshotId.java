package io.libstorage.api;

import java.util.Objects;

/**
 * A back-end snapshot identifier.
 *
 * @param value the identifier; never blank
 */
public record SnapshotId(String value) {
    public SnapshotId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("SnapshotId must not be blank");
        }
    }

    public static SnapshotId of(String value) {
        return new SnapshotId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
