package io.libstorage.docker;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeNotFoundException;
import org.jspecify.annotations.Nullable;

/**
 * The exception a client of a Docker volume plugin raises for an error answer: the plugin's {@code Err}, and the
 * {@code Code} this project's plugin adds ({@link StorageException#code()}) mapped back to the exception of that
 * code. An answer with another code or none is an {@link OperationFailedException} (naming the code when there is
 * one); a backend the plugin could not reach is retryable. Used by {@link DockerPluginClient} and by the command's
 * thin client, so that both raise the same exception for the same answer. Stateless: a function of its arguments.
 */
public final class PluginErrors {
    private PluginErrors() {
    }

    /**
     * The exception for an error answer.
     *
     * @param context the operation, volume and plugin the answer was for
     * @param code the answer's {@code Code}, null or empty when it has none
     * @param err the answer's {@code Err} (or a description of an answer without one)
     */
    public static StorageException fromAnswer(ErrorContext context, @Nullable String code, String err) {
        String c = code == null ? "" : code;
        return switch (c) {
            case "VOLUME_NOT_FOUND" -> new VolumeNotFoundException(context, err);
            case "INVALID_REQUEST" -> new InvalidRequestException(context, err);
            case "INVALID_VOLUME_NAME" -> InvalidRequestException.invalidVolumeName(context, err);
            case "BACKEND_UNAVAILABLE" -> new BackendUnavailableException(context, err, true, null);
            default -> new OperationFailedException(context,
                    c.isEmpty() || c.equals("OPERATION_FAILED") ? err : err + " (code " + c + ")", null);
        };
    }
}
