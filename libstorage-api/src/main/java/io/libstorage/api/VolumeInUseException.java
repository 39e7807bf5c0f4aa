package io.libstorage.api;

/** A remove or detach was refused because the volume is attached, mounted or has consumers, and the call was not forced. */
public final class VolumeInUseException extends StorageException {
    public VolumeInUseException(ErrorContext context, String why) {
        super(context, "volume is in use: " + why, null);
    }

    @Override
    public String code() {
        return "VOLUME_IN_USE";
    }
}
