package io.libstorage.tck;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks for what a test needs from the machine (root, loop devices, a command such as
 * {@code mkfs.xfs}, a Docker daemon). Outside CI a missing prerequisite skips the test with a
 * printed reason; with {@code CI=true} (or {@code -Dlibstorage.ci=true}) it fails the test, so
 * that CI can never pass by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** Whether this run is CI, where prerequisites are mandatory. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getProperty("libstorage.ci"));
    }

    /** Fails (CI) or skips (elsewhere) with {@code reason} unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            Assertions.fail("prerequisite missing under CI=true: " + reason);
        }
        System.err.println("SKIPPED (prerequisite missing): " + reason);
        Assumptions.abort("prerequisite missing: " + reason);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uidIsZero();
    }

    private static boolean uidIsZero() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    public static void requireRoot() {
        require(isRoot(), "the test needs root");
    }

    /** Root plus working loop devices ({@code /dev/loop-control} and {@code losetup}). */
    public static void requireLoopDevices() {
        requireRoot();
        require(Files.exists(Path.of("/dev/loop-control")), "the test needs /dev/loop-control");
        requireCommands("losetup");
    }

    /** Every command must be found on PATH (or /sbin, /usr/sbin) and runnable. */
    public static void requireCommands(String... commands) {
        for (String c : commands) {
            require(find(c) != null, "the test needs the command '" + c + "' (install it, e.g. apt-get install "
                    + packageHint(c) + ")");
        }
    }

    /** The absolute path of {@code command}, or null. */
    public static Path find(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether running {@code command} exits 0 within 20 s. */
    public static boolean runs(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String packageHint(String command) {
        return switch (command) {
            case "mkfs.xfs", "xfs_growfs", "xfs_freeze" -> "xfsprogs";
            case "mkfs.btrfs" -> "btrfs-progs";
            case "mkfs.vfat" -> "dosfstools";
            case "dockerd", "docker" -> "docker.io";
            case "sfdisk", "losetup", "blkid", "wipefs", "findmnt" -> "util-linux / fdisk";
            default -> "<package providing " + command + ">";
        };
    }
}
