package io.libstorage.api;

import org.jspecify.annotations.Nullable;

/** Reading the device failed. Such a device is never treated as blank and never formatted. */
public final class DeviceIOException extends StorageException {
    public DeviceIOException(ErrorContext context, String detail, @Nullable Throwable cause) {
        super(context, detail, cause);
    }

    @Override
    public String code() {
        return "DEVICE_IO_ERROR";
    }
}
