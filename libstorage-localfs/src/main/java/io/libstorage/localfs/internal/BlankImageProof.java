package io.libstorage.localfs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A proof, read by the JVM itself (no {@code blkid}, no spawn), that an image this driver made is still all zeros.
 *
 * <p>The driver makes a volume's image as a new file ({@code O_CREAT|O_EXCL}) extended with {@code ftruncate}: by
 * definition every byte reads as zero. Right after it is published under its final name, its identity and change
 * times are {@linkplain #stamp stamped} into the volume's record. Any later change of its content, whether written to
 * the file directly or through a loop device (the loop driver writes the backing file with ordinary writes), changes
 * its {@code ctime} and {@code mtime}; a replaced file changes its inode; a grown or shrunk one its size. So while
 * the file still shows the stamp, nothing has been written to it since it was made.
 *
 * <p>That holds only where a change after the stamp is guaranteed to show as a different time. With the kernel's
 * coarse timestamps (one clock tick, up to 10 ms) a write in the same tick as the stamp would keep the same times.
 * Linux 6.13 and later give ext4, xfs, btrfs and tmpfs multigrain timestamps: once the times of an inode have been
 * read (our stamp reads them), its next change gets a fine-grained, strictly later time. The proof is therefore
 * offered only on such a kernel and file system ({@link #timesAreExact}); elsewhere no stamp is written and every
 * device gets the full probe.
 *
 * <p>Dirty pages written to the loop device but not yet to the file are not visible in the file's times: the
 * caller flushes the device first ({@link Images#flushDevice}). Stateless and thread-safe.
 */
final class BlankImageProof {
    /** File systems that have multigrain timestamps from Linux 6.13 on. */
    private static final Set<String> MULTIGRAIN_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs", "tmpfs");
    private static final String ATTRIBUTES = "unix:dev,ino,size,ctime,lastModifiedTime";

    /**
     * What an image looked like right after it was made.
     *
     * @param fileKey device and inode number of the file, {@code dev:ino}
     * @param sizeBytes its size
     * @param changed its {@code ctime}, ISO-8601 with nanoseconds
     * @param modified its {@code mtime}, ISO-8601 with nanoseconds
     */
    record Stamp(String fileKey, long sizeBytes, String changed, String modified) {
    }

    private BlankImageProof() {
    }

    /** The stamp of {@code image} as it is now. */
    static Stamp stamp(Path image) throws IOException {
        Map<String, Object> a = Files.readAttributes(image, ATTRIBUTES);
        return new Stamp(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"), ((FileTime) a.get("ctime")).toInstant().toString(),
                ((FileTime) a.get("lastModifiedTime")).toInstant().toString());
    }

    /** Whether {@code image} still shows {@code stamp}: nothing was written to it since. Unreadable means no. */
    static boolean holds(Stamp stamp, Path image) {
        try {
            return stamp != null && stamp.equals(stamp(image));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a change of a file in {@code dir} after a stamp always shows as a later time (see the class comment). */
    static boolean timesAreExact(Path dir) {
        try {
            return multigrainKernel(System.getProperty("os.name", ""), System.getProperty("os.version", ""))
                    && MULTIGRAIN_FILE_SYSTEMS.contains(Files.getFileStore(dir).type().toLowerCase(Locale.ROOT));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Linux 6.13 or later. */
    static boolean multigrainKernel(String osName, String osVersion) {
        if (!osName.equals("Linux")) {
            return false;
        }
        String[] parts = osVersion.split("[.\\-+]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 6 || (major == 6 && minor >= 13);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
