package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.support.InterProcessLock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Serialises mutations of one root across threads and processes: the whole-file
 * {@link InterProcessLock} on {@code <root>/localfs.lock} (one file per root, whatever the number of
 * volumes; shared by every driver instance of this JVM on the root). Reentrant for the holding
 * thread; released by {@link Held#close()}; the kernel releases it when a holder dies.
 */
final class RootLock {
    private final Path file;
    private final Duration timeout;

    RootLock(Path file, Duration timeout) {
        this.file = file;
        this.timeout = timeout;
    }

    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held acquire(ErrorContext ctx) {
        Optional<InterProcessLock> held;
        try {
            held = InterProcessLock.acquire(file, timeout);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        if (held.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationFailedException(ctx, "interrupted while waiting for the localfs root lock " + file, null);
            }
            throw new OperationTimeoutException(ctx, "waiting for the localfs root lock " + file + " (held by another call on this host)", timeout);
        }
        InterProcessLock lock = held.get();
        return () -> {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the lock file's channel is closed once unused, which releases the lock anyway
            }
        };
    }
}
