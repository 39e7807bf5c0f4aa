package io.libstorage.api;

/** The operation is disabled by configuration (e.g. remove). It fails loudly instead of succeeding silently. */
public final class OperationDisabledException extends StorageException {
    public OperationDisabledException(ErrorContext context, String key) {
        super(context, "the operation is disabled by configuration key '" + key + "'", null);
    }

    @Override
    public String code() {
        return "OPERATION_DISABLED";
    }
}
