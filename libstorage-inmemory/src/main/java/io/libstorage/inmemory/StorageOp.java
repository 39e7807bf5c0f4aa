package io.libstorage.inmemory;

/** Back-end calls of the in-memory storage driver, for call counting and fault injection. */
public enum StorageOp {
    LOGIN, CREATE, INSPECT, FIND_BY_NAME, LIST, ATTACH, DETACH, REMOVE, OWNER_EVIDENCE,
    SNAPSHOT, LIST_SNAPSHOTS, REMOVE_SNAPSHOT, GROW
}
