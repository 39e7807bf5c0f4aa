package io.libstorage.api;

import java.util.List;

/**
 * The volume is in use, so the call changed nothing. Two cases, told apart by {@link #holders()} and {@link #code()}:
 * <ul>
 *   <li>a remove or detach was refused because the volume is attached, mounted or has consumers, and the call was
 *       not forced: code {@code VOLUME_IN_USE}, not retryable (release it, or force);</li>
 *   <li>an unmount (also the one inside a forced detach or remove) found processes still using the mount
 *       ({@link #busy}): code {@code VOLUME_BUSY}, {@link #holders()} names the processes it could identify,
 *       retryable once they let go.</li>
 * </ul>
 */
public final class VolumeInUseException extends StorageException {
    private static final String VOLUME_IN_USE = "VOLUME_IN_USE";
    private static final String VOLUME_BUSY = "VOLUME_BUSY";

    private final List<ProcessHolder> holders;
    private final String code;

    /** A refused remove or detach; {@code why} says what uses the volume. */
    public VolumeInUseException(ErrorContext context, String why) {
        this(context, "volume is in use: " + why, List.of(), VOLUME_IN_USE);
    }

    private VolumeInUseException(ErrorContext context, String detail, List<ProcessHolder> holders, String code) {
        super(context, detail, null);
        this.holders = List.copyOf(holders);
        this.code = code;
    }

    /** An unmount of {@code what} (e.g. "the mount at /mnt/x") that processes still use; names them. */
    public static VolumeInUseException busy(ErrorContext context, String what, List<ProcessHolder> holders) {
        return new VolumeInUseException(context, what + " is busy" + (holders.isEmpty() ? " (no holding process could be identified)"
                : "; held by " + holders.stream().map(ProcessHolder::toString).toList()), holders, VOLUME_BUSY);
    }

    /** Whether processes hold the mount ({@link #busy}) rather than the volume being attached, mounted or held by consumers. */
    public boolean isBusy() {
        return VOLUME_BUSY.equals(code);
    }

    /** The processes found using the mount; empty for a refused remove or detach, and when none could be identified. */
    public List<ProcessHolder> holders() {
        return holders;
    }

    /** {@code VOLUME_BUSY} when processes hold the mount, else {@code VOLUME_IN_USE}. */
    @Override
    public String code() {
        return code;
    }

    /** True when processes hold the mount: once they let go the same call succeeds. */
    @Override
    public boolean retryable() {
        return isBusy();
    }
}
