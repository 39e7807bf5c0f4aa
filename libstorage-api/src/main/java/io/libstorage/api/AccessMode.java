package io.libstorage.api;

/** How many hosts may attach a volume at once, and how. */
public enum AccessMode {
    /** One host attaches it read-write (the default, safe for ext4/xfs/btrfs). */
    SINGLE_HOST_READ_WRITE,
    /** Many hosts may attach it, all read-only. */
    MULTI_HOST_READ_ONLY,
    /** Many hosts may attach it read-write: only for cluster filesystems that coordinate their writers. */
    MULTI_HOST_CLUSTER;

    public boolean allowsMultipleHosts() {
        return this != SINGLE_HOST_READ_WRITE;
    }
}
