package io.libstorage.api;

import java.util.List;

/** An unmount failed because processes still use the mount; names them. State is unchanged and a retry is safe. */
public final class VolumeBusyException extends StorageException {
    private final List<ProcessHolder> holders;

    public VolumeBusyException(ErrorContext context, String what, List<ProcessHolder> holders) {
        super(context, what + " is busy" + (holders.isEmpty() ? " (no holding process could be identified)"
                : "; held by " + holders.stream().map(ProcessHolder::toString).toList()), null);
        this.holders = List.copyOf(holders);
    }

    public List<ProcessHolder> holders() {
        return holders;
    }

    @Override
    public String code() {
        return "VOLUME_BUSY";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
