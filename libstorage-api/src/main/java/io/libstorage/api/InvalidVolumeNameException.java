package io.libstorage.api;

/** A volume name that the library or the back end does not accept. */
public final class InvalidVolumeNameException extends StorageException {
    public InvalidVolumeNameException(ErrorContext context, String reason) {
        super(context, "invalid volume name: " + reason, null);
    }

    @Override
    public String code() {
        return "INVALID_VOLUME_NAME";
    }
}
