package io.libstorage.api;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The root of every error the library raises. Unchecked and sealed: a caller can switch over the
 * exact cases. Every message names the operation, volume, host and back end (see
 * {@link ErrorContext}) and is never empty; {@link #code()} is a stable identifier for transports
 * (Docker plugin, CLI exit output) that must not depend on message text.
 *
 * <p>Messages never contain secrets.
 */
public abstract sealed class StorageException extends RuntimeException
        permits VolumeNotFoundException,
                VolumeAttachedToOtherHostException,
                VolumeSpecConflictException,
                AmbiguousVolumeException,
                InvalidRequestException,
                DeviceNotFoundException,
                DeviceIOException,
                RefusedToFormatException,
                FilesystemMismatchException,
                VolumeInUseException,
                AuthenticationException,
                BackendUnavailableException,
                OperationTimeoutException,
                OwnerStillAliveException,
                FencingUnavailableException,
                UnsafeMultiMappingException,
                UnsupportedFeatureException,
                InvalidConfigurationException,
                OperationDisabledException,
                OperationFailedException {

    private final ErrorContext context;
    private final String detail;

    protected StorageException(ErrorContext context, String detail, @Nullable Throwable cause) {
        super(compose(context, detail), cause);
        this.context = context;
        this.detail = detail;
    }

    private static String compose(ErrorContext context, String detail) {
        Objects.requireNonNull(context, "context");
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("an exception detail must not be empty");
        }
        return context.operation() + " failed: " + detail + " [" + context.describe() + "]";
    }

    /** Where the error happened. */
    public ErrorContext context() {
        return context;
    }

    /** The specific part of the message, without the context. */
    public String detail() {
        return detail;
    }

    /** A stable, upper-case identifier of this kind of error, e.g. {@code VOLUME_NOT_FOUND}. */
    public abstract String code();

    /** Whether repeating the same call later may succeed without anything else changing. */
    public boolean retryable() {
        return false;
    }
}
