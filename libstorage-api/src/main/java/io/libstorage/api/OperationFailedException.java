package io.libstorage.api;

import org.jspecify.annotations.Nullable;

/** A step failed for a reason none of the specific cases covers, e.g. an external command exiting non-zero; the detail carries its decoded output. */
public final class OperationFailedException extends StorageException {
    public OperationFailedException(ErrorContext context, String detail, @Nullable Throwable cause) {
        super(context, detail, cause);
    }

    @Override
    public String code() {
        return "OPERATION_FAILED";
    }
}
