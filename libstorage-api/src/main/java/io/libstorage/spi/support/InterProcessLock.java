package io.libstorage.spi.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock shared by the threads of this JVM and by the processes of one host: an in-JVM
 * {@link ReentrantLock} plus an {@code fcntl} record lock ({@link FileChannel#tryLock(long, long, boolean)})
 * on a byte range of a lock file. The kernel releases the record lock when the holder dies, so a
 * crash never leaves it stuck.
 *
 * <p><b>Many keys, one file.</b> {@link #acquire(Path, String, Duration)} locks one byte of the file at
 * a position derived from the key's SHA-256 (62 bits), so any number of keys share one lock file:
 * nothing grows with the number of keys ever used, and no lock file is ever deleted (deleting one
 * races with a process that opened it just before and would then lock a file nobody else sees). Two
 * keys whose positions coincide exclude each other, which is safe. {@link #acquire(Path, Duration)}
 * locks the whole file, and so excludes every key in it.
 *
 * <p><b>One descriptor per file and JVM.</b> POSIX drops all of a process's record locks on a file
 * when <em>any</em> descriptor of that file is closed, and the JVM refuses overlapping locks of its
 * own threads. So every lock file is opened through exactly one channel per JVM, shared by all its
 * locks and closed only when none is held or awaited; entries (per file and per range) are
 * reference-counted and dropped when unused, so this JVM's bookkeeping does not grow with the keys
 * ever used either ({@link #inUse()}). Do not open the lock files with other code, and do not delete
 * them while a process may use them.
 *
 * <p>Reentrant: the holding thread may acquire the same lock again, and closes each acquisition once
 * (closing is by the thread that acquired it). Idempotent close.
 */
public final class InterProcessLock implements AutoCloseable {
    private static final long WHOLE_FILE = Long.MAX_VALUE;
    private static final long KEY_POSITIONS = 1L << 62;
    private static final long FIRST_PAUSE_NANOS = 1_000_000;
    private static final long LONGEST_PAUSE_NANOS = 50_000_000;

    /** Every lock file this JVM has open, by real path; guarded by itself. */
    private static final Map<Path, OpenFile> FILES = new HashMap<>();

    private final OpenFile file;
    private final Range range;
    private final Slot slot;
    private boolean closed;

    private InterProcessLock(OpenFile file, Range range, Slot slot) {
        this.file = file;
        this.range = range;
        this.slot = slot;
    }

    /**
     * Acquires the lock of the whole {@code file} (created if missing), waiting at most {@code timeout}.
     *
     * @return the held lock, or empty when the timeout passed or the thread was interrupted (its
     *         interrupt status is kept)
     */
    public static Optional<InterProcessLock> acquire(Path file, Duration timeout) throws IOException {
        return acquire(file, new Range(0, WHOLE_FILE), timeout);
    }

    /**
     * Acquires the lock of {@code key} within {@code file} (created if missing), waiting at most
     * {@code timeout}.
     *
     * @return the held lock, or empty when the timeout passed or the thread was interrupted (its
     *         interrupt status is kept)
     */
    public static Optional<InterProcessLock> acquire(Path file, String key, Duration timeout) throws IOException {
        return acquire(file, new Range(positionOf(key), 1), timeout);
    }

    /** How many locks (per file and range) this JVM holds or waits for right now. */
    public static int inUse() {
        synchronized (FILES) {
            return FILES.values().stream().mapToInt(f -> f.slots.size()).sum();
        }
    }

    private static Optional<InterProcessLock> acquire(Path file, Range range, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        OpenFile open;
        Slot slot;
        synchronized (FILES) {
            Path real = realPath(file);
            open = FILES.get(real);
            if (open == null) {
                open = new OpenFile(real, FileChannel.open(real, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                FILES.put(real, open);
            }
            slot = open.slots.computeIfAbsent(range, r -> new Slot());
            slot.users++;
        }
        boolean acquired = false;
        try {
            if (!slot.lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
            try {
                if (slot.lock.getHoldCount() == 1) {
                    slot.held = lockRange(open.channel, range, deadline);
                    if (slot.held == null) {
                        return Optional.empty();
                    }
                }
                acquired = true;
                return Optional.of(new InterProcessLock(open, range, slot));
            } finally {
                if (!acquired) {
                    slot.lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (!acquired) {
                release(open, range, slot);
            }
        }
    }

    /** The record lock, polled with a growing pause (a blocking lock would close the channel on interrupt). */
    private static FileLock lockRange(FileChannel channel, Range range, long deadline) throws IOException {
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            FileLock l;
            try {
                l = channel.tryLock(range.position(), range.size(), false);
            } catch (OverlappingFileLockException e) {
                l = null; // a whole-file lock and a key lock of this JVM on one file
            }
            if (l != null) {
                return l;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                return null;
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }

    private static void release(OpenFile open, Range range, Slot slot) throws IOException {
        synchronized (FILES) {
            if (--slot.users == 0) {
                open.slots.remove(range);
                if (open.slots.isEmpty()) {
                    // no lock of this JVM on the file is held or awaited: closing drops nothing
                    FILES.remove(open.path);
                    open.channel.close();
                }
            }
        }
    }

    private static Path realPath(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path parent = Files.createDirectories(absolute.getParent());
        return parent.toRealPath().resolve(absolute.getFileName());
    }

    static long positionOf(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v & (KEY_POSITIONS - 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Releases this acquisition; the last one of the holding thread releases the lock. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (!slot.lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("an InterProcessLock is closed by the thread that acquired it");
        }
        closed = true;
        try {
            if (slot.lock.getHoldCount() == 1) {
                FileLock held = slot.held;
                slot.held = null;
                held.release();
            }
        } finally {
            slot.lock.unlock();
            release(file, range, slot);
        }
    }

    private record Range(long position, long size) {
    }

    private static final class OpenFile {
        final Path path;
        final FileChannel channel;
        final Map<Range, Slot> slots = new HashMap<>();

        OpenFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        int users;
        FileLock held;
    }
}
