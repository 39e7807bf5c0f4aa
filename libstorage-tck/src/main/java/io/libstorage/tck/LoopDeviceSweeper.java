package io.libstorage.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test cleanup for loop devices: finds every loop device whose backing file lies under a directory
 * (from {@code /sys/block/loop*}{@code /loop/backing_file}), unmounts whatever is mounted from it
 * (lazily) and detaches it. Use it in {@code @AfterEach}/{@code @AfterAll} with the test's own
 * temporary directory, so a failing test never leaks loop devices into the next run, and never
 * touches devices that belong to anyone else.
 */
public final class LoopDeviceSweeper {
    private LoopDeviceSweeper() {
    }

    /** Loop devices ({@code /dev/loopN}) whose backing file is under {@code root}. */
    public static List<Path> devicesUnder(Path root) {
        Path prefix = root.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/sys/block"), "loop*")) {
            for (Path dir : dirs) {
                Path backing = dir.resolve("loop/backing_file");
                if (!Files.exists(backing)) {
                    continue;
                }
                String file = Files.readString(backing).strip();
                if (file.endsWith(" (deleted)")) {
                    file = file.substring(0, file.length() - " (deleted)".length());
                }
                if (Path.of(file).normalize().startsWith(prefix)) {
                    out.add(Path.of("/dev", dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // no /sys/block: nothing attached we could see
        }
        return out;
    }

    /** Unmounts (lazily) every mount of the devices under {@code root} and detaches them. Returns how many were detached. */
    public static int sweep(Path root) {
        List<Path> devices = devicesUnder(root);
        for (Path dev : devices) {
            for (String target : mountTargetsOf(dev)) {
                run(List.of("umount", "-l", target));
            }
            run(List.of("losetup", "-d", dev.toString()));
        }
        return devices.size();
    }

    /** Lazily unmounts every mount point at or below {@code dir} (deepest first). */
    public static void unmountAllUnder(Path dir) {
        Path prefix = dir.toAbsolutePath().normalize();
        List<String> targets = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                String mp = f[4].replace("\\040", " ");
                if (Path.of(mp).startsWith(prefix)) {
                    targets.add(mp);
                }
            }
        } catch (IOException e) {
            return;
        }
        targets.sort((a, b) -> b.length() - a.length());
        for (String t : targets) {
            run(List.of("umount", "-l", t));
        }
    }

    private static List<String> mountTargetsOf(Path device) {
        List<String> out = new ArrayList<>();
        try {
            String devNum = Files.readString(Path.of("/sys/block", device.getFileName().toString(), "dev")).strip();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f[2].equals(devNum)) {
                    out.add(f[4].replace("\\040", " "));
                }
            }
        } catch (IOException e) {
            // device gone meanwhile
        }
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // best effort cleanup
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
