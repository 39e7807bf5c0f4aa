package io.libstorage.spi.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * An exclusive lock shared by processes on one host ({@link FileChannel#lock}, i.e. {@code fcntl}
 * record locks). The kernel releases it when the holder dies, so a crash never leaves it stuck.
 * It does not exclude threads of the same JVM from each other (the JVM forbids overlapping locks
 * there): pair it with an in-process lock.
 */
public final class InterProcessLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InterProcessLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Acquires the lock on {@code file} (created if missing), waiting at most {@code timeout}.
     *
     * @return the held lock, or empty when the timeout passed
     */
    public static Optional<InterProcessLock> acquire(Path file, Duration timeout) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1_000_000;
        try {
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    return Optional.of(new InterProcessLock(ch, l));
                }
                if (System.nanoTime() - deadline >= 0) {
                    ch.close();
                    return Optional.empty();
                }
                LockSupport.parkNanos(pause);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    ch.close();
                    return Optional.empty();
                }
                pause = Math.min(pause * 2, 50_000_000);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
