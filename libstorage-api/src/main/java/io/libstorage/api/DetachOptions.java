package io.libstorage.api;

/**
 * Per-call choices for a detach.
 *
 * @param force detach even while mounted or held by consumers (the mount is removed first)
 */
public record DetachOptions(boolean force) {
    public static final DetachOptions DEFAULT = new DetachOptions(false);
    public static final DetachOptions FORCE = new DetachOptions(true);
}
