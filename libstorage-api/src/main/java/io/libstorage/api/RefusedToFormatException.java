package io.libstorage.api;

/** The device carries a signature (filesystem, partition table, LVM, LUKS, data) and was not formatted. */
public final class RefusedToFormatException extends StorageException {
    public RefusedToFormatException(ErrorContext context, String device, String signature) {
        super(context, "refused to format " + device + ": it is not blank (" + signature
                + "); overwriting needs an explicit per-call request naming the expected volume id", null);
    }

    @Override
    public String code() {
        return "REFUSED_TO_FORMAT";
    }
}
