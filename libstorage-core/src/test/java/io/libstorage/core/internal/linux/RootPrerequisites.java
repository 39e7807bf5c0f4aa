package io.libstorage.core.internal.linux;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Linux ITs need from the machine, with the semantics of libstorage-tck's
 * {@code io.libstorage.tck.Prerequisites}: fail under CI, skip with a printed reason elsewhere.
 * A copy only because libstorage-tck depends on libstorage-core, so core's own tests cannot depend on
 * it (Maven rejects the cycle even in test scope); libstorage-inmemory, which core may use, stays free
 * of JUnit, which this needs to fail or skip a test.
 */
final class RootPrerequisites {
    private RootPrerequisites() {
    }

    static void requireLoopDevicesAnd(String... commands) {
        require(isRoot(), "the test needs root");
        require(Files.exists(Path.of("/dev/loop-control")), "the test needs /dev/loop-control");
        require(find("losetup") != null, "the test needs the command 'losetup' (util-linux)");
        for (String c : commands) {
            require(find(c) != null, "the test needs the command '" + c + "' (install it, e.g. apt-get install "
                    + switch (c) {
                        case "mkfs.xfs", "xfs_growfs", "xfs_io" -> "xfsprogs";
                        case "mkfs.btrfs", "btrfs" -> "btrfs-progs";
                        case "mkfs.vfat" -> "dosfstools";
                        case "sfdisk" -> "fdisk";
                        default -> "the package providing it";
                    } + ")");
        }
    }

    static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getProperty("libstorage.ci"));
        if (ci) {
            Assertions.fail("prerequisite missing under CI=true: " + reason);
        }
        System.err.println("SKIPPED (prerequisite missing): " + reason);
        Assumptions.abort("prerequisite missing: " + reason);
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static Path find(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }
}
