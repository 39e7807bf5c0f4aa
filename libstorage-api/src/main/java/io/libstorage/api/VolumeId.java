package io.libstorage.api;

import java.util.Objects;

/**
 * A back-end volume identifier, opaque to the library and stable for the volume's life.
 *
 * @param value the identifier; never blank
 */
public record VolumeId(String value) {
    public VolumeId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("VolumeId must not be blank");
        }
    }

    public static VolumeId of(String value) {
        return new VolumeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
