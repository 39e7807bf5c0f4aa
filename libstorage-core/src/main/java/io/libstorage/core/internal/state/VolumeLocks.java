package io.libstorage.core.internal.state;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.support.InterProcessLock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-volume mutual exclusion across the threads of this process (a {@link ReentrantLock}) and
 * across processes on this host (a file lock under {@code <stateRoot>/locks/}). Both are released
 * by {@link Held#close()} even when the holder failed; the kernel releases the file lock if the
 * process dies.
 */
public final class VolumeLocks {
    private final Path dir;
    private final Duration timeout;
    private final ConcurrentHashMap<String, ReentrantLock> local = new ConcurrentHashMap<>();

    public VolumeLocks(Path stateRoot, Duration timeout) {
        this.dir = stateRoot.resolve("locks");
        this.timeout = timeout;
    }

    /** A held lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held acquire(String name, ErrorContext context) {
        ReentrantLock lock = local.computeIfAbsent(name, n -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OperationTimeoutException(context, "waiting for the volume lock (held by another thread)", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(context, "interrupted while waiting for the volume lock", e);
        }
        if (lock.getHoldCount() > 1) {
            return lock::unlock;
        }
        InterProcessLock fileLock;
        try {
            Optional<InterProcessLock> l = InterProcessLock.acquire(dir.resolve(name + ".lock"),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (l.isEmpty()) {
                lock.unlock();
                throw new OperationTimeoutException(context, "waiting for the volume lock (held by another process)", timeout);
            }
            fileLock = l.get();
        } catch (IOException e) {
            lock.unlock();
            throw new OperationFailedException(context, "cannot open the lock file under " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
            throw e;
        }
        return () -> {
            try {
                fileLock.close();
            } catch (IOException ignored) {
                // closing the channel releases the lock anyway
            } finally {
                lock.unlock();
            }
        };
    }
}
