package io.libstorage.api;

/** A create (or implicit create) asked for a name that exists with an incompatible specification. */
public final class VolumeSpecConflictException extends StorageException {
    public VolumeSpecConflictException(ErrorContext context, String conflict) {
        super(context, "a volume with this name exists with a different specification: " + conflict, null);
    }

    @Override
    public String code() {
        return "VOLUME_SPEC_CONFLICT";
    }
}
