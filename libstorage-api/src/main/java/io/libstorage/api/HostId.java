package io.libstorage.api;

import java.util.Objects;

/**
 * A host identity as the storage system knows it (ScaleIO SDC GUID, VirtualBox machine id, localfs machine id, simulated host).
 *
 * @param value the identifier; never blank
 */
public record HostId(String value) {
    public HostId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("HostId must not be blank");
        }
    }

    public static HostId of(String value) {
        return new HostId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
