package io.libstorage.api;

/**
 * Per-call choices for a remove.
 *
 * @param force remove without asking even if attached or mounted: consumers are dropped, the volume is
 *              unmounted and detached first, but never from under a process that still uses it (that is
 *              refused with {@link VolumeInUseException} naming the processes) and, through the integration
 *              driver, never from another host the back end reports connected
 * @param strict fail with {@link VolumeNotFoundException} when the volume does not exist instead of succeeding
 */
public record RemoveOptions(boolean force, boolean strict) {
    public static final RemoveOptions DEFAULT = new RemoveOptions(false, false);
    public static final RemoveOptions FORCE = new RemoveOptions(true, false);
}
