package io.libstorage.core.internal.linux;

import io.libstorage.api.ProcessHolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes that keep a mount busy by scanning {@code /proc/<pid>/} (cwd, root, exe,
 * open files and memory maps) for paths at or below the mount point, as {@code fuser -m} does,
 * without depending on fuser or lsof being installed. Processes that vanish or cannot be inspected
 * during the scan are skipped.
 */
final class MountHolders {
    private static final String DELETED = " (deleted)";

    private final Path proc;

    MountHolders(Path proc) {
        this.proc = proc;
    }

    static MountHolders system() {
        return new MountHolders(Path.of("/proc"));
    }

    List<ProcessHolder> holding(Path mountPoint) {
        String prefix = mountPoint.toAbsolutePath().normalize().toString();
        List<ProcessHolder> out = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path dir : pids) {
                if (holds(dir, prefix)) {
                    out.add(new ProcessHolder(Long.parseLong(dir.getFileName().toString()), command(dir)));
                }
            }
        } catch (IOException e) {
            // no /proc: nobody identifiable
        }
        return out;
    }

    private boolean holds(Path pidDir, String prefix) {
        for (String link : List.of("cwd", "root", "exe")) {
            if (under(readLink(pidDir.resolve(link)), prefix)) {
                return true;
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
            for (Path fd : fds) {
                if (under(readLink(fd), prefix)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // process gone or not ours to inspect
        }
        try {
            for (String line : Files.readAllLines(pidDir.resolve("maps"), StandardCharsets.UTF_8)) {
                int slash = line.indexOf('/');
                if (slash >= 0 && under(line.substring(slash), prefix)) {
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
