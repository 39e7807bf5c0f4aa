package io.libstorage.cli.internal.thin;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.docker.PluginErrors;

import java.time.Duration;

/**
 * The errors of the thin dvdcli client, the exceptions the full command's socket back end raises for the same
 * answers (a plugin's error answer through the Docker plugin client's own {@link PluginErrors}). A class of its own, typed {@link RuntimeException} towards its callers, so that a run without an error
 * loads none of the library's exception types: the class loader's first class from another jar (here the api's)
 * costs the interpreter its URL, manifest and package, about half a millisecond of a thin client's start.
 * Stateless.
 */
final class ThinErrors {
    private ThinErrors() {
    }

    /** The context of an error of {@code operation}, as the full command's socket back end names it. */
    private static ErrorContext context(String operation, String volume, String backend) {
        return ErrorContext.of(operation, volume, null, backend);
    }

    static RuntimeException notFound(String operation, String volume, String backend, String message) {
        return new VolumeNotFoundException(context(operation, volume, backend), message);
    }

    static RuntimeException failed(String operation, String volume, String backend, String message) {
        return new OperationFailedException(context(operation, volume, backend), message, null);
    }

    static RuntimeException unreachable(String operation, String volume, String backend, String message, Throwable cause) {
        return new BackendUnavailableException(context(operation, volume, backend), message, true, cause);
    }

    /** The Docker plugin client's exception for the plugin's {@code Code} and {@code Err}. */
    static RuntimeException fromPlugin(String operation, String volume, String backend, String code, String err) {
        return PluginErrors.fromAnswer(context(operation, volume, backend), code, err);
    }

    /** The full command's timeout: its context names the socket only when Activate was answered, else the driver. */
    static RuntimeException timeout(String operation, String volume, String backendOrDriver, String message, Duration deadline) {
        return new OperationTimeoutException(context(operation, volume, backendOrDriver), message, deadline);
    }
}
