package io.libstorage.api;

/** The volume does not exist on the back end. Never raised for a volume that exists but is attached elsewhere. */
public final class VolumeNotFoundException extends StorageException {
    public VolumeNotFoundException(ErrorContext context) {
        this(context, "volume does not exist");
    }

    public VolumeNotFoundException(ErrorContext context, String detail) {
        super(context, detail, null);
    }

    @Override
    public String code() {
        return "VOLUME_NOT_FOUND";
    }
}
