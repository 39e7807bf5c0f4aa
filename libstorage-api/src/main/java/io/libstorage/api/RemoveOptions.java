package io.libstorage.api;

/**
 * Per-call choices for a remove.
 *
 * @param force remove even if attached or mounted (it is unmounted and detached first)
 * @param strict fail with {@link VolumeNotFoundException} when the volume does not exist instead of succeeding
 */
public record RemoveOptions(boolean force, boolean strict) {
    public static final RemoveOptions DEFAULT = new RemoveOptions(false, false);
    public static final RemoveOptions FORCE = new RemoveOptions(true, false);
}
