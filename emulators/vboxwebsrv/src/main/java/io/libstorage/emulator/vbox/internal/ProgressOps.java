package io.libstorage.emulator.vbox.internal;

import static io.libstorage.emulator.vbox.internal.Operations.none;
import static io.libstorage.emulator.vbox.internal.Operations.one;

/** {@code IProgress} and {@code IVirtualBoxErrorInfo}. */
final class ProgressOps {
    private ProgressOps() {
    }

    static void register(Operations ops) {
        ops.addBlocking("IProgress_waitForCompletion", c -> {
            Progress p = c.self(Progress.class);
            int timeout = c.integer("timeout");
            p.await(timeout);
            return none();
        });
        ops.add("IProgress_getCompleted", c -> one(c.self(Progress.class).completed()));
        ops.add("IProgress_getPercent", c -> one(c.self(Progress.class).percent()));
        ops.add("IProgress_getResultCode", c -> one(resultCode(c.self(Progress.class))));
        ops.add("IProgress_getErrorInfo", c -> {
            Progress p = c.self(Progress.class);
            if (!p.completed()) {
                throw new ComError(ComError.E_FAIL, "Progress", "Error info is not available, operation is still in progress");
            }
            return one(c.ref(p.errorInfo()));
        });
        ops.add("IProgress_getDescription", c -> one(c.self(Progress.class).description));
        ops.add("IVirtualBoxErrorInfo_getResultCode", c -> one(c.self(ErrorInfo.class).resultCode()));
        ops.add("IVirtualBoxErrorInfo_getText", c -> one(c.self(ErrorInfo.class).text()));
        ops.add("IVirtualBoxErrorInfo_getComponent", c -> one(c.self(ErrorInfo.class).component()));
        ops.add("IVirtualBoxErrorInfo_getInterfaceID", c -> one(c.self(ErrorInfo.class).interfaceId()));
        ops.add("IVirtualBoxErrorInfo_getNext", c -> one(c.ref(c.self(ErrorInfo.class).next())));
    }

    /** {@code resultCode} is an xsd:int: failure codes go out negative, as gSOAP prints a signed 32-bit HRESULT. */
    private static int resultCode(Progress p) {
        if (!p.completed()) {
            throw new ComError(ComError.E_FAIL, "Progress", "Result code is not available, operation is still in progress");
        }
        return p.resultCode();
    }
}
