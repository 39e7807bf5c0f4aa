package io.libstorage.spi.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Crash-safe small-file writes: write a temporary file in the same directory, fsync it, rename it
 * over the target atomically, then fsync the directory. A reader sees the old or the new content,
 * never a mix, and after a crash the new content is either fully there or not at all.
 *
 * <p>The temporary file is {@code .<target name>.<16 hex digits>.tmp}, readable and writable by
 * the owner only: its name is always {@value #TEMPORARY_NAME_OVERHEAD} characters longer than the
 * target's, so that callers can size the names they derive (see
 * {@link io.libstorage.api.VolumeNames#DERIVED_NAME_BUDGET}).
 *
 * <p>A writer killed before its rename leaves its temporary file next to the target. Nothing else is
 * harmed, but nobody else deletes it: the owner of the target calls {@link #deleteTemporariesOf} when
 * it knows that no writer of that target is running (it holds the lock every writer of the target
 * holds), e.g. when it reconciles or deletes the target.
 */
public final class AtomicFiles {
    /** How many characters the name of the temporary file adds to the target's: {@code "." + name + "." + 16 hex + ".tmp"}. */
    public static final int TEMPORARY_NAME_OVERHEAD = 22;
    private static final String TEMPORARY_SUFFIX = ".tmp";
    /** Also matches the decimal suffixes that earlier versions wrote. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.[0-9a-f]+\\.tmp");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * {@link #write} without the final fsync of the directory: the content is synced before the rename, so a reader,
     * also after a machine crash, finds the whole old or the whole new content, never a mix; only which of the two
     * survives a machine crash is left open until the directory is synced, by the next {@link #write} or
     * {@link #delete} in it (one fsync of the directory shared by both renames) or by the kernel's writeback. For
     * records whose old and new content both converge after a machine crash (e.g. a write whose only purpose is to
     * be found by a later call of the same boot). A killed process loses nothing either way.
     */
    public static void writeSharingDirectorySync(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean syncDirectory) throws IOException {
        try (Prepared prepared = prepare(target, content)) {
            prepared.publish(syncDirectory);
        }
    }

    /**
     * The first half of {@link #write}: the temporary file written and synced, not yet renamed over {@code target}, so
     * that a caller can do it while something else it must wait for anyway (e.g. the fsync that makes an earlier rename
     * durable) runs. {@link Prepared#publish} renames it; closing it unpublished deletes it (a killed process leaves it
     * to {@link #deleteTemporariesOf}, as any interrupted write).
     */
    public static Prepared prepare(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return new Prepared(tmp, target, dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * {@link #prepare} on another thread ({@link Overlap}), {@code content} made there too, so that the temporary file
     * is written and synced while the caller does what it must wait for anyway; {@link Beside#publish} waits for it
     * and renames it, closing it unpublished waits for it and deletes it.
     */
    public static Beside prepareBeside(Path target, Overlap.IoStep<byte[]> content) {
        return new Beside(Overlap.start(() -> prepare(target, content.run())));
    }

    /** A {@link #prepareBeside} write under way. Every one is published or closed. Not thread-safe. */
    public static final class Beside implements AutoCloseable {
        private final Overlap.Pending<Prepared> prepared;
        private boolean done;

        private Beside(Overlap.Pending<Prepared> prepared) {
            this.prepared = prepared;
        }

        /** Waits for the write, then renames it over the target as {@link Prepared#publish} does. */
        public void publish(boolean syncDirectory) throws IOException {
            done = true;
            try (Prepared p = prepared.joinIo()) {
                p.publish(syncDirectory);
            }
        }

        /**
         * Unless published: waits for the write and deletes its temporary file. Never throws: a write that failed left
         * nothing, and a file that could not be deleted is left to {@link #deleteTemporariesOf}, as an interrupted write.
         */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try (Prepared ignored = prepared.joinIo()) {
                // closing an unpublished file deletes it
            } catch (IOException | RuntimeException e) {
                // see above
            }
        }
    }

    /** A synced temporary file waiting to be renamed over its target ({@link #prepare}). Not thread-safe. */
    public static final class Prepared implements AutoCloseable {
        private final Path tmp;
        private final Path target;
        private final Path dir;
        private boolean published;

        private Prepared(Path tmp, Path target, Path dir) {
            this.tmp = tmp;
            this.target = target;
            this.dir = dir;
        }

        /** Renames the file over the target atomically, then fsyncs the directory if asked (see {@link #writeSharingDirectorySync}). */
        public void publish(boolean syncDirectory) throws IOException {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + dir + " cannot rename atomically", e);
            }
            published = true;
            if (syncDirectory) {
                fsyncDirectory(dir);
            }
        }

        /** Deletes the temporary file unless it was published. */
        @Override
        public void close() throws IOException {
            if (!published) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** A new, empty temporary file for {@code targetName} in {@code dir}, its name of fixed extra length. */
    private static Path createTemporary(Path dir, String targetName) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        while (true) {
            Path tmp = dir.resolve("." + targetName + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + TEMPORARY_SUFFIX);
            try {
                return posix ? Files.createFile(tmp, OWNER_ONLY) : Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same 64 random bits: draw again
            }
        }
    }

    /** Deletes {@code target} if present and makes the deletion durable. */
    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            fsyncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Makes the directory entry changes in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Deletes the temporary files in {@code dir} (of any target) last modified before {@code cutoff}:
     * for owners whose writers take no lock, a temporary file far older than any write can take has
     * no live writer.
     *
     * @return the files deleted
     */
    public static List<Path> deleteTemporariesOlderThan(Path dir, Instant cutoff) throws IOException {
        List<Path> deleted = new ArrayList<>();
        for (Path p : temporaries(dir)) {
            try {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) {
                    deleted.add(p);
                }
            } catch (NoSuchFileException gone) {
                // its writer finished meanwhile
            }
        }
        if (!deleted.isEmpty()) {
            fsyncDirectory(dir);
        }
        return deleted;
    }

    /** The file name of the target whose interrupted write left {@code file}, if it is such a temporary file. */
    public static Optional<String> targetOfTemporary(Path file) {
        Path name = file.getFileName();
        Matcher m = TEMPORARY.matcher(name == null ? "" : name.toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The temporary files in {@code dir} left by interrupted writes (of any target), sorted. */
    public static List<Path> temporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> targetOfTemporary(p).isPresent()).sorted().toList();
        }
    }

    /**
     * Deletes the temporary files that interrupted writes of {@code target} left. Only for a caller
     * that excludes every writer of {@code target} (a live writer's file would vanish under it).
     *
     * @return the files deleted
     */
    public static List<Path> deleteTemporariesOf(Path target) throws IOException {
        String targetName = target.getFileName().toString();
        List<Path> deleted = new ArrayList<>();
        for (Path p : temporaries(target.toAbsolutePath().getParent())) {
            if (targetOfTemporary(p).orElseThrow().equals(targetName) && Files.deleteIfExists(p)) {
                deleted.add(p);
            }
        }
        if (!deleted.isEmpty()) {
            fsyncDirectory(target.toAbsolutePath().getParent());
        }
        return deleted;
    }
}
