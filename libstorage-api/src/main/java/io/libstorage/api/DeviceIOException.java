package io.libstorage.api;

/** Reading the device failed. Such a device is never treated as blank and never formatted. */
public final class DeviceIOException extends StorageException {
    public DeviceIOException(ErrorContext context, String detail, Throwable cause) {
        super(context, detail, cause);
    }

    @Override
    public String code() {
        return "DEVICE_IO_ERROR";
    }
}
