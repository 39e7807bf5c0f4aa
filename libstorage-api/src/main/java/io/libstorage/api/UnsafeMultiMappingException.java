package io.libstorage.api;

/** The back end already maps a single-writer volume to several hosts, or a request would make it so. */
public final class UnsafeMultiMappingException extends StorageException {
    public UnsafeMultiMappingException(ErrorContext context, String detail) {
        super(context, detail, null);
    }

    @Override
    public String code() {
        return "UNSAFE_MULTI_MAPPING";
    }
}
