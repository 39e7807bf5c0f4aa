package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.support.InterProcessLock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises mutations of one root: a reentrant in-process lock plus a file lock on
 * {@code <root>/localfs.lock} for other processes. Both are released by {@link Held#close()};
 * the kernel releases the file lock when a holder dies.
 */
final class RootLock {
    private final ReentrantLock local = new ReentrantLock();
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
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OperationTimeoutException(ctx, "waiting for the localfs root lock (held by another thread)", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(ctx, "interrupted while waiting for the localfs root lock", e);
        }
        if (local.getHoldCount() > 1) {
            return local::unlock;
        }
        try {
            Optional<InterProcessLock> held = InterProcessLock.acquire(file, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (held.isEmpty()) {
                throw new OperationTimeoutException(ctx, "waiting for the localfs root lock " + file + " (held by another process)", timeout);
            }
            InterProcessLock fileLock = held.get();
            return () -> {
                try {
                    fileLock.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock anyway
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException e) {
            local.unlock();
            throw new OperationFailedException(ctx, "cannot open the lock file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            local.unlock();
            throw e;
        }
    }
}
