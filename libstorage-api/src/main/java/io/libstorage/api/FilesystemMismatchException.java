package io.libstorage.api;

/** The device holds a different filesystem than the volume's recorded or requested one. Nothing was reformatted. */
public final class FilesystemMismatchException extends StorageException {
    private final String expected;
    private final String found;

    public FilesystemMismatchException(ErrorContext context, String expected, String found) {
        super(context, "filesystem mismatch: expected " + expected + " but the device holds " + found
                + "; the device was not reformatted", null);
        this.expected = expected;
        this.found = found;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }

    @Override
    public String code() {
        return "FILESYSTEM_MISMATCH";
    }
}
