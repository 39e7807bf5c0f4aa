package io.libstorage.api;

/**
 * Per-call choices for a detach.
 *
 * @param force detach without asking even while mounted or held by consumers: the consumers are dropped
 *              and the mount is removed first, but never from under a process that still uses it (that
 *              is refused with {@link VolumeInUseException} naming the processes)
 */
public record DetachOptions(boolean force) {
    public static final DetachOptions DEFAULT = new DetachOptions(false);
    public static final DetachOptions FORCE = new DetachOptions(true);
}
