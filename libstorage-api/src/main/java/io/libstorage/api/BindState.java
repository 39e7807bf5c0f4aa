package io.libstorage.api;

/**
 * What a target path holds with respect to a source that may be bound onto it (a directory of a mounted volume, or
 * a block device node), as the OS layer reads it from this host's mount table.
 */
public enum BindState {
    /** Nothing is mounted at the target. */
    NOTHING,
    /** The source is bound there read-write. */
    SOURCE_READ_WRITE,
    /** The source is bound there read-only. */
    SOURCE_READ_ONLY,
    /** Something else is mounted there. */
    OTHER
}
