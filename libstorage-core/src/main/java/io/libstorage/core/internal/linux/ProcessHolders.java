package io.libstorage.core.internal.linux;

import io.libstorage.api.ProcessHolder;
import io.libstorage.spi.ProcessResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Finds the processes that keep a mount or a block device busy by scanning {@code /proc/<pid>/}
 * (cwd, root, exe, open files and memory maps), as {@code fuser -m} does, without depending on
 * fuser or lsof being installed. Processes that vanish or cannot be inspected during the scan are
 * skipped, so the answer may be incomplete (other mount namespaces, kernel users); it is for naming
 * holders in a refusal, never for deciding that something is free. Read-only; thread-safe. Storage
 * drivers get its answers through {@link io.libstorage.spi.HostDevices#holdersOf}.
 */
final class ProcessHolders {
    private static final String DELETED = " (deleted)";
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final ProcessHolders SYSTEM = new ProcessHolders(Path.of("/proc"));

    private final Path proc;

    ProcessHolders(Path proc) {
        this.proc = proc;
    }

    /** The holders on this host. */
    static ProcessHolders system() {
        return SYSTEM;
    }

    /** Whether a failed {@code umount} said that the mount is in use (and holders are worth looking for). */
    static boolean saysBusy(ProcessResult umount) {
        String err = umount.stderr();
        return err.contains("target is busy") || err.contains("device is busy") || err.contains("Device or resource busy");
    }

    /** The processes using a path at or below {@code mountPoint}. */
    List<ProcessHolder> holding(Path mountPoint) {
        String prefix = mountPoint.toAbsolutePath().normalize().toString();
        return scan((link, mapsLine) -> under(link == null ? mapsPath(mapsLine) : readLink(link), prefix));
    }

    /**
     * The processes that have the block device {@code major:minor} open, or a file on the filesystem
     * it carries open: found by the device numbers of what they hold, so also when that filesystem is
     * no longer in any mount table (a lazy unmount leaves it alive while it is used). btrfs gives its
     * files other device numbers: those holders are found only through their mount point.
     */
    List<ProcessHolder> usingDevice(String deviceNumber) {
        return scan((link, mapsLine) -> link == null ? deviceNumber.equals(mapsDevice(mapsLine)) : onDevice(link, deviceNumber));
    }

    /** Processes for which {@code holds} is true of one of their links (cwd, root, exe, fd/*), or of a line of their maps (link {@code null}). */
    private List<ProcessHolder> scan(BiPredicate<Path, String> holds) {
        List<ProcessHolder> out = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path dir : pids) {
                if (holds(dir, holds)) {
                    out.add(new ProcessHolder(Long.parseLong(dir.getFileName().toString()), command(dir)));
                }
            }
        } catch (IOException e) {
            // no /proc: nobody identifiable
        }
        return out;
    }

    private static boolean holds(Path pidDir, BiPredicate<Path, String> holds) {
        for (String link : List.of("cwd", "root", "exe")) {
            if (holds.test(pidDir.resolve(link), null)) {
                return true;
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
            for (Path fd : fds) {
                if (holds.test(fd, null)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // process gone or not ours to inspect
        }
        try {
            for (String line : Files.readAllLines(pidDir.resolve("maps"), StandardCharsets.UTF_8)) {
                if (holds.test(null, line)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone, or a path that is not UTF-8: skip
        }
        return false;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Whether what the magic link {@code link} points to lies on, or is, the block device {@code deviceNumber}. */
    private static boolean onDevice(Path link, String deviceNumber) {
        try {
            Map<String, Object> attrs = Files.readAttributes(link, "unix:dev,rdev,mode");
            if (deviceNumber.equals(MountTable.majorMinor((Long) attrs.get("dev")))) {
                return true;
            }
            return ((Integer) attrs.get("mode") & S_IFMT) == S_IFBLK && deviceNumber.equals(MountTable.majorMinor((Long) attrs.get("rdev")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The path of a {@code /proc/<pid>/maps} line, or {@code null}. */
    private static String mapsPath(String line) {
        int slash = line.indexOf('/');
        return slash < 0 ? null : line.substring(slash);
    }

    /** The device of a {@code /proc/<pid>/maps} line ({@code address perms offset MM:mm inode path}) as decimal {@code major:minor}. */
    private static String mapsDevice(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 6 || f[4].equals("0")) {
            return null;
        }
        int colon = f[3].indexOf(':');
        return colon < 0 ? null : Long.parseLong(f[3].substring(0, colon), 16) + ":" + Long.parseLong(f[3].substring(colon + 1), 16);
    }

    static boolean under(String path, String prefix) {
        if (path == null) {
            return false;
        }
        String p = path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
        return p.equals(prefix) || p.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    private static String command(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
