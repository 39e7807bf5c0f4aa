package io.libstorage.api;

/** What the storage system knows about a host's connection to it. */
public enum Liveness {
    /** The storage system sees the host connected (e.g. ScaleIO SDC {@code mdmConnectionState=Connected}). */
    CONNECTED,
    /** The storage system sees the host disconnected. */
    DISCONNECTED,
    /** The storage system cannot tell. Never counts as evidence of death. */
    UNKNOWN
}
