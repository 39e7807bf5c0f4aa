package io.libstorage.api;

import org.jspecify.annotations.Nullable;

/** Pre-emption could not fence the previous owner (unmap failed or could not be verified). The volume was not mapped to the new host. */
public final class FencingUnavailableException extends StorageException {
    public FencingUnavailableException(ErrorContext context, String detail, @Nullable Throwable cause) {
        super(context, detail + "; the volume was not mapped to the new host", cause);
    }

    @Override
    public String code() {
        return "FENCING_UNAVAILABLE";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
