package io.libstorage.api;

/** The back end rejected the credentials. Raised after at most one login attempt per call; never loops. */
public final class AuthenticationException extends StorageException {
    public AuthenticationException(ErrorContext context, String detail) {
        super(context, detail, null);
    }

    @Override
    public String code() {
        return "AUTHENTICATION_FAILED";
    }
}
