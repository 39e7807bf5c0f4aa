package io.libstorage.csi.internal;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Runs one RPC: logs it (secrets masked, see {@link SecretRedaction}), keeps a second call for the same
 * volume out while one is in progress (ABORTED), and turns every failure into a gRPC status with a
 * message and no details (library errors through {@link StorageErrors}).
 */
final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger("io.libstorage.csi.rpc");
    private final InFlight inFlight = new InFlight();

    /** A call that changes nothing, or nothing one volume owns. */
    <T extends Message> void run(String method, Message request, StreamObserver<T> out, Supplier<T> body) {
        execute(method, null, null, request, out, body);
    }

    /** A call about the {@code kind} (volume, volume name, snapshot name) {@code key}: one at a time per key. */
    <T extends Message> void runFor(String method, String kind, String key, Message request, StreamObserver<T> out,
                                    Supplier<T> body) {
        execute(method, kind, key, request, out, body);
    }

    private <T extends Message> void execute(String method, String kind, String key, Message request,
                                             StreamObserver<T> out, Supplier<T> body) {
        long started = System.nanoTime();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}", method, SecretRedaction.describe(request));
        }
        T response;
        try {
            if (kind != null && key != null && !key.isEmpty()) {
                try (InFlight.Claim ignored = inFlight.claim(kind, key)) {
                    response = body.get();
                }
            } else {
                response = body.get();
            }
        } catch (CsiError e) {
            fail(method, out, e.status(), started, null);
            return;
        } catch (RuntimeException e) {
            Status status = StorageErrors.status(e);
            fail(method, out, status, started, status.getCode() == Status.Code.INTERNAL ? e : null);
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} answered {} in {} ms", method, SecretRedaction.describe(response), millis(started));
        } else {
            LOG.debug("{} succeeded in {} ms", method, millis(started));
        }
        out.onNext(response);
        out.onCompleted();
    }

    private static void fail(String method, StreamObserver<?> out, Status status, long started, Throwable unexpected) {
        if (unexpected != null) {
            LOG.warn("{} failed with {} after {} ms: {}", method, status.getCode(), millis(started), status.getDescription(), unexpected);
        } else {
            LOG.info("{} refused with {} after {} ms: {}", method, status.getCode(), millis(started), status.getDescription());
        }
        out.onError(status.asRuntimeException());
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
