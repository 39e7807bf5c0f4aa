package io.libstorage.csi.internal;

import io.grpc.Status;
import io.libstorage.api.StorageException;

/**
 * The gRPC status for an error the library raised, chosen by its stable {@link StorageException#code()}
 * (not its class, so that merging exception classes changes nothing here). The message is the library's,
 * which names operation, volume, host and back end and never holds a secret.
 */
final class StorageErrors {
    private StorageErrors() {
    }

    static Status status(RuntimeException e) {
        if (!(e instanceof StorageException se)) {
            if (e instanceof IllegalArgumentException) {
                return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            }
            return Status.INTERNAL.withDescription(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return codeFor(se.code(), se.retryable()).withDescription(se.getMessage());
    }

    static Status codeFor(String libraryCode, boolean retryable) {
        switch (libraryCode) {
            case "VOLUME_NOT_FOUND":
                return Status.NOT_FOUND;
            case "VOLUME_SPEC_CONFLICT":
                return Status.ALREADY_EXISTS;
            case "INVALID_REQUEST":
            case "INVALID_VOLUME_NAME":
                return Status.INVALID_ARGUMENT;
            case "AUTHENTICATION_FAILED":
                return Status.UNAUTHENTICATED;
            case "BACKEND_UNAVAILABLE":
            case "DEVICE_NOT_FOUND":
                return Status.UNAVAILABLE;
            case "TIMEOUT":
                return Status.DEADLINE_EXCEEDED;
            case "UNSUPPORTED_FEATURE":
                return Status.UNIMPLEMENTED;
            case "VOLUME_ATTACHED_TO_OTHER_HOST":
            case "OWNER_STILL_ALIVE":
            case "FENCING_UNAVAILABLE":
            case "UNSAFE_MULTI_MAPPING":
            case "VOLUME_BUSY":
            case "VOLUME_IN_USE":
            case "REFUSED_TO_FORMAT":
            case "FILESYSTEM_MISMATCH":
            case "AMBIGUOUS_VOLUME":
            case "INVALID_CONFIGURATION":
            case "OPERATION_DISABLED":
                return Status.FAILED_PRECONDITION;
            default:
                return retryable ? Status.UNAVAILABLE : Status.INTERNAL;
        }
    }
}
