package io.libstorage.testing;

/** Back-end calls of the in-memory storage driver, for call counting and fault injection. */
public enum StorageOp {
    LOGIN, CREATE, INSPECT, FIND_BY_NAME, LIST, ATTACH, DETACH, REMOVE, OWNER_EVIDENCE,
    SNAPSHOT, LIST_SNAPSHOTS, REMOVE_SNAPSHOT, GROW;

    /** Whether the call can change the back end (a crash can be injected before or after it). */
    public boolean mutating() {
        return switch (this) {
            case CREATE, ATTACH, DETACH, REMOVE, SNAPSHOT, REMOVE_SNAPSHOT, GROW -> true;
            default -> false;
        };
    }
}
