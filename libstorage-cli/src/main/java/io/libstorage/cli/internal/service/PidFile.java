package io.libstorage.cli.internal.service;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.support.AtomicFiles;
import io.libstorage.spi.support.InterProcessLock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * A running service's pid file ({@code <pid>\n}, mode 0644) and the lock that makes its holder the only one.
 * The lock is an {@code fcntl} lock of a sibling {@code <file>.lock}, which is never deleted (a deleted lock file
 * races with a process that opened it just before); the kernel releases it when the holder dies, so a pid file
 * left by a killed service is simply overwritten by the next one. {@link #close()} deletes the pid file if it
 * still names this process, then releases the lock. Another process's acquisition is refused while it is held.
 */
public final class PidFile implements AutoCloseable {
    private final Path file;
    private final InterProcessLock lock;
    private final long pid;
    private boolean closed;

    private PidFile(Path file, InterProcessLock lock, long pid) {
        this.file = file;
        this.lock = lock;
        this.pid = pid;
    }

    /**
     * Takes the lock without waiting and writes this process's id into {@code file} (atomically).
     *
     * @throws OperationFailedException when another process holds it (naming that process when its pid file
     *                                  says which), or the file cannot be written
     */
    public static PidFile acquire(Path file, ErrorContext ctx) {
        Path absolute = file.toAbsolutePath();
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
        long pid = ProcessHandle.current().pid();
        InterProcessLock lock = null;
        try {
            Files.createDirectories(absolute.getParent());
            Optional<InterProcessLock> held = InterProcessLock.acquire(lockFile, Duration.ZERO);
            if (held.isEmpty()) {
                throw new OperationFailedException(ctx, "another service holds " + lockFile
                        + readPid(absolute).map(p -> " (pid " + p + ", from " + absolute + ")").orElse("")
                        + "; stop it first, or give this one another name or --pid-file", null);
            }
            lock = held.get();
            AtomicFiles.write(absolute, (pid + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-r--r--"));
            return new PidFile(absolute, lock, pid);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new OperationFailedException(ctx, "cannot write the pid file " + absolute + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /** The process id a pid file names, if it exists and names one. */
    public static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Path path() {
        return file;
    }

    /** Deletes the pid file when it still names this process, and releases the lock. Idempotent; by the acquiring thread. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (readPid(file).filter(p -> p == pid).isPresent()) {
                AtomicFiles.delete(file);
            }
        } finally {
            lock.close();
        }
    }

    private static void closeQuietly(InterProcessLock lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the failure being reported matters more; the kernel drops the lock at exit anyway
            }
        }
    }
}
