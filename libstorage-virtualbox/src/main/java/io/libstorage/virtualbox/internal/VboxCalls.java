package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.StorageException;

import java.util.function.Function;

/**
 * Work on the web service from the driver: {@link VboxWebService#withSession} (one websession per driver, one re-logon
 * after a restart, references released) with every VirtualBox error that the work did not handle itself turned into
 * an {@link OperationFailedException} naming the web-service operation, the result code and VirtualBox's text.
 */
final class VboxCalls {
    private final VboxWebService service;

    VboxCalls(VboxWebService service) {
        this.service = service;
    }

    <T> T run(ErrorContext ctx, Function<VboxSession, T> work) {
        try {
            return service.withSession(ctx, work);
        } catch (VboxException e) {
            throw failure(ctx, e);
        }
    }

    VboxWebService service() {
        return service;
    }

    static StorageException failure(ErrorContext ctx, VboxException e) {
        String rc = e.resultCode().isPresent() ? " with " + ResultCodes.describe(e.resultCode().getAsInt()) : "";
        return new OperationFailedException(ctx, "the VirtualBox web service refused " + e.operation() + rc + ": " + e.text(), e);
    }
}
