package io.libstorage.api;

import java.time.Duration;
import java.util.List;

/**
 * The back end reported the volume attached to this host, but its block device did not appear
 * within the wait. The message says that the attach succeeded and names what was searched.
 */
public final class DeviceNotFoundException extends StorageException {
    private final List<String> searched;

    public DeviceNotFoundException(ErrorContext context, String token, Duration waited, List<String> searched) {
        super(context, "the attach succeeded but no block device for token '" + token + "' appeared within "
                + waited.toMillis() + " ms; searched " + searched, null);
        this.searched = List.copyOf(searched);
    }

    public List<String> searched() {
        return searched;
    }

    @Override
    public String code() {
        return "DEVICE_NOT_FOUND";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
