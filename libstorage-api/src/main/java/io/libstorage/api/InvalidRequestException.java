package io.libstorage.api;

/** A request that is malformed before any back-end call is made (e.g. a size of zero bytes). */
public final class InvalidRequestException extends StorageException {
    public InvalidRequestException(ErrorContext context, String reason) {
        super(context, reason, null);
    }

    @Override
    public String code() {
        return "INVALID_REQUEST";
    }
}
