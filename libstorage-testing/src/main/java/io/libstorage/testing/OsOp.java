package io.libstorage.testing;

/** Calls of the in-memory OS driver, for call counting and fault injection. */
public enum OsOp {
    PROBE, FORMAT, MOUNT, UNMOUNT, MOUNTS, GROW_FILESYSTEM;

    public boolean mutating() {
        return this == FORMAT || this == MOUNT || this == UNMOUNT || this == GROW_FILESYSTEM;
    }
}
