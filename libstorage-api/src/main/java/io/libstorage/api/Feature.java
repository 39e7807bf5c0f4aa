package io.libstorage.api;

/** Optional capabilities of a storage driver. An unsupported call raises {@link UnsupportedFeatureException}. */
public enum Feature {
    /** Point-in-time snapshots of a volume. */
    SNAPSHOTS,
    /** A new volume whose content is a snapshot's. */
    CREATE_FROM_SNAPSHOT,
    /** Growing a volume. */
    GROW,
    /** Attaching a volume to hosts other than the local one (the back end is shared by several hosts). */
    REMOTE_ATTACH,
    /** The storage system reports whether a host is connected, so {@link PreemptionPolicy#IF_OWNER_UNREACHABLE} can decide on its own evidence. */
    OWNER_LIVENESS,
    /** Several hosts may attach one volume for the multi-host access modes. */
    MULTI_HOST_ACCESS,
    /**
     * The back end keeps each volume's whole {@link VolumeSpec} (requested size, filesystem, options, labels, takeover
     * policy) with the user's name, so that every host reads it before attaching (e.g. localfs's shared metadata, the
     * in-memory model). Without it a driver reports what its own host knows, lists the rest in
     * {@link Volume#UNKNOWN_FIELD}, and the integration layer keeps the record inside the volume.
     */
    KEEPS_SPEC
}
