package io.libstorage.core.internal.state;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.support.InterProcessLock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-volume mutual exclusion across the threads of this process and across processes on this
 * host: the volume name's {@link InterProcessLock} in the one lock file {@code <stateRoot>/volumes.lock}
 * (a byte range per name, so no file is created per name and nothing is kept per name once released).
 * Released by {@link Held#close()} even when the holder failed; the kernel releases it if the process
 * dies. Reentrant for the holding thread.
 */
public final class VolumeLocks {
    static final String FILE = "volumes.lock";

    private final Path file;
    private final Duration timeout;

    public VolumeLocks(Path stateRoot, Duration timeout) {
        this.file = stateRoot.resolve(FILE);
        this.timeout = timeout;
    }

    /** A held lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held acquire(String name, ErrorContext context) {
        Optional<InterProcessLock> lock;
        try {
            lock = InterProcessLock.acquire(file, name, timeout);
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot open the lock file " + file + ": " + describe(e), e);
        }
        if (lock.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationFailedException(context, "interrupted while waiting for the volume lock", null);
            }
            throw new OperationTimeoutException(context, "waiting for the volume lock (held by another call on this host)", timeout);
        }
        InterProcessLock held = lock.get();
        return () -> {
            try {
                held.close();
            } catch (IOException ignored) {
                // the lock file's channel is closed once unused, which releases the lock anyway
            }
        };
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
