package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Image files: created sparse under a {@code .partial} name and renamed into place only when
 * complete and synced, so that a crash never leaves a half-made image under its final name;
 * removed by a rename into {@code trash/} first, so an interrupted removal is finished, not lost.
 */
final class Images {
    private final ProcessRunner processes;
    private final Duration commandTimeout;
    private final Duration copyTimeout;

    Images(ProcessRunner processes, Duration commandTimeout, Duration copyTimeout) {
        this.processes = processes;
        this.commandTimeout = commandTimeout;
        this.copyTimeout = copyTimeout;
    }

    /**
     * A sparse file of {@code size} bytes at {@code target}, made as a new file (never one left by an earlier
     * attempt), so that it holds only zeros. Returns its {@linkplain BlankImageProof stamp} where the file system
     * and kernel make that stamp a proof of blankness, else {@code null}. The file is synced and renamed to
     * {@code target}, but the rename is not yet durable: the caller syncs the directory ({@link #syncName}) before
     * anything durable names the image (its metadata does both at once, {@link MetadataStore#saveAfter}).
     */
    BlankImageProof.Stamp createSparse(Path target, long size, ErrorContext ctx) {
        Path partial = partial(target);
        try {
            Files.deleteIfExists(partial);
            Files.createFile(partial);
            try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
                f.setLength(size);
                f.getChannel().force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return BlankImageProof.timesAreExact(target.getParent()) ? BlankImageProof.stamp(target) : null;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new OperationFailedException(ctx, "cannot create the image " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A sparse copy of {@code source} at {@code target} of at least {@code minSize} bytes. {@code cp}
     * keeps holes ({@code --sparse=always}) and clones extents where the filesystem can
     * ({@code --reflink=auto}, instant on xfs and btrfs).
     */
    void copySparse(Path source, Path target, long minSize, ErrorContext ctx) {
        Path partial = partial(target);
        try {
            processes.run(ctx, List.of("cp", "--sparse=always", "--reflink=auto", "--", source.toString(), partial.toString()),
                    copyTimeout).requireSuccess(ctx);
            try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
                if (f.length() < minSize) {
                    f.setLength(minSize);
                }
                f.getChannel().force(true);
            }
            publish(partial, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new OperationFailedException(ctx, "cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Extends the image to {@code size} bytes (sparse); never shrinks it. */
    void extend(Path image, long size, ErrorContext ctx) {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            if (f.length() < size) {
                f.setLength(size);
                f.getChannel().force(true);
            }
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot extend the image " + image + " to " + size + " bytes: " + e.getMessage(), e);
        }
    }

    /** Moves {@code image} (if present) into {@code trash}; the caller deletes its metadata, then {@link #emptyTrash}. */
    void moveToTrash(Path image, Path trash, ErrorContext ctx) {
        try {
            if (Files.exists(image)) {
                Files.createDirectories(trash);
                Files.move(image, trash.resolve(image.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(image.getParent());
            }
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot move " + image + " to " + trash + ": " + e.getMessage(), e);
        }
    }

    void deleteFromTrash(Path trash, String fileName, ErrorContext ctx) {
        try {
            AtomicFiles.delete(trash.resolve(fileName));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot delete " + trash.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether nothing was ever written to {@code image}: no block is allocated to it ({@code stat %b}),
     * as for a sparse file fresh from {@link #createSparse}. A file system that cannot make holes
     * allocates blocks even then, so the answer errs towards "written".
     */
    boolean neverWritten(Path image, ErrorContext ctx) {
        String blocks = processes.run(ctx, List.of("stat", "--format=%b", "--", image.toString()), commandTimeout)
                .requireSuccess(ctx).stdout().strip();
        try {
            return Long.parseLong(blocks) == 0;
        } catch (NumberFormatException e) {
            throw new OperationFailedException(ctx, "stat gave '" + blocks + "' as the number of blocks of " + image, e);
        }
    }

    /** Moves {@code file} into {@code quarantine} (created if missing) under its own name; returns where it now is. */
    Path quarantine(Path file, Path quarantine, ErrorContext ctx) {
        try {
            Files.createDirectories(quarantine);
            Path target = quarantine.resolve(file.getFileName());
            if (Files.exists(target)) {
                throw new OperationFailedException(ctx, "cannot move " + file + " to " + quarantine + ": " + target + " exists", null);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(quarantine);
            AtomicFiles.fsyncDirectory(file.getParent());
            return target;
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot move " + file + " to " + quarantine + ": " + e.getMessage(), e);
        }
    }

    /** Forces a block device's dirty pages into its backing file (no spawn: fsync on the device node). */
    static void flushDevice(Path device, ErrorContext ctx) {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot flush " + device + ": " + e.getMessage(), e);
        }
    }

    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + Layout.PARTIAL);
    }

    /** Makes the name of an image {@link #createSparse} made durable. */
    static void syncName(Path image) throws IOException {
        AtomicFiles.fsyncDirectory(image.getParent());
    }

    private static void publish(Path partial, Path target) throws IOException {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(target.getParent());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // start-up reconcile removes leftover .partial files
        }
    }
}
