package io.libstorage.api;

import java.util.Objects;

/**
 * The result of growing a volume: the storage grew, and what happened to its filesystem on this host.
 *
 * @param volume the volume as the back end reports it after the grow (its allocated size rounded up as the back end requires)
 * @param filesystem what was done to the filesystem on it, here
 */
public record GrownVolume(Volume volume, Filesystem filesystem) {
    public GrownVolume {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(filesystem, "filesystem");
    }

    /** What a grow did to the volume's filesystem on this host. */
    public enum Filesystem {
        /** Grown while mounted (online). */
        GROWN_MOUNTED,
        /** Grown while attached here and not mounted (offline). */
        GROWN_UNMOUNTED,
        /** Attached here, but the device holds no filesystem (it is made at the first format, filling the device). */
        NONE_ON_DEVICE,
        /**
         * Not attached to this host, so its filesystem was not touched: grow again where it is attached
         * (or after mounting it here); the storage is already grown, so that grows only the filesystem.
         */
        NOT_ATTACHED_HERE
    }
}
