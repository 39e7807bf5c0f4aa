package io.libstorage.api;

import java.time.Duration;

/** A deadline passed. Whatever was waited on has been abandoned; locks were released. */
public final class OperationTimeoutException extends StorageException {
    private final Duration deadline;

    public OperationTimeoutException(ErrorContext context, String what, Duration deadline) {
        super(context, what + " did not finish within " + deadline.toMillis() + " ms", null);
        this.deadline = deadline;
    }

    public Duration deadline() {
        return deadline;
    }

    @Override
    public String code() {
        return "TIMEOUT";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
