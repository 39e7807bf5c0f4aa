package io.libstorage.csi.internal;

import io.grpc.Status;

/** A refusal with the gRPC status the CSI specification mandates for it. Never carries status details. */
final class CsiError extends RuntimeException {
    private final Status.Code code;

    CsiError(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static CsiError invalid(String message) {
        return new CsiError(Status.Code.INVALID_ARGUMENT, message);
    }

    static CsiError notFound(String message) {
        return new CsiError(Status.Code.NOT_FOUND, message);
    }

    static CsiError alreadyExists(String message) {
        return new CsiError(Status.Code.ALREADY_EXISTS, message);
    }

    static CsiError failedPrecondition(String message) {
        return new CsiError(Status.Code.FAILED_PRECONDITION, message);
    }

    static CsiError outOfRange(String message) {
        return new CsiError(Status.Code.OUT_OF_RANGE, message);
    }

    static CsiError aborted(String message) {
        return new CsiError(Status.Code.ABORTED, message);
    }

    static CsiError unimplemented(String message) {
        return new CsiError(Status.Code.UNIMPLEMENTED, message);
    }

    Status.Code code() {
        return code;
    }

    Status status() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
