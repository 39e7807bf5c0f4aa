package io.libstorage.api;

import org.jspecify.annotations.Nullable;

/** The back end could not be reached or answered with a server error. {@link #retryable()} says whether a retry is safe. */
public final class BackendUnavailableException extends StorageException {
    private final boolean retryable;

    public BackendUnavailableException(ErrorContext context, String detail, boolean retryable, @Nullable Throwable cause) {
        super(context, detail, cause);
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return "BACKEND_UNAVAILABLE";
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
