package io.libstorage.inmemory;

/** Calls of the in-memory OS driver, for call counting and fault injection. */
public enum OsOp {
    PROBE, FORMAT, MOUNT, UNMOUNT, MOUNTS, GROW_FILESYSTEM, FREEZE, THAW
}
