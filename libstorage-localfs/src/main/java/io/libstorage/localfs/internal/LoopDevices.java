package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.HostDevices;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's loop devices, read from sysfs ({@code /sys/block/loop*}{@code /loop/backing_file})
 * in-process, and changed with {@code losetup}. The association "image → loop device" always comes
 * from here, never from our own notes.
 */
final class LoopDevices {
    private static final String DELETED = " (deleted)";
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration SETTLE_POLL = Duration.ofMillis(10);
    private final ProcessRunner processes;
    private final Duration timeout;
    private final Path sysBlock;

    LoopDevices(ProcessRunner processes, Duration timeout) {
        this(processes, timeout, Path.of("/sys/block"));
    }

    LoopDevices(ProcessRunner processes, Duration timeout, Path sysBlock) {
        this.processes = processes;
        this.timeout = timeout;
        this.sysBlock = sysBlock;
    }

    /**
     * An attached loop device.
     *
     * @param device {@code /dev/loopN}
     * @param backingFile the file as the kernel names it, without the {@code (deleted)} suffix
     * @param deleted whether the file was unlinked while attached
     * @param deviceNumber {@code major:minor}
     * @param sizeBytes the size the kernel currently gives the device
     * @param autoclear whether a detach was requested while it was still open (it goes away on last close)
     */
    record Loop(Path device, Path backingFile, boolean deleted, String deviceNumber, long sizeBytes, boolean autoclear) {
    }

    /** Every attached loop device. */
    List<Loop> all() {
        return scan(null);
    }

    /** The loop devices whose (existing) backing file is {@code image}. */
    static List<Loop> backedBy(List<Loop> all, Path image) {
        return all.stream().filter(l -> !l.deleted() && l.backingFile().equals(image)).toList();
    }

    /**
     * The loop devices whose (existing) backing file is {@code image}: the same scan of sysfs as {@link #all}, but only
     * the devices of that file are read beyond their backing file's name.
     */
    List<Loop> backedBy(Path image) {
        return scan(image);
    }

    /** The loop devices backed by {@code image} (not deleted), or every attached one when it is {@code null}. */
    private List<Loop> scan(Path image) {
        List<Loop> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysBlock, "loop*")) {
            for (Path dir : dirs) {
                try {
                    String file = Files.readString(dir.resolve("loop/backing_file")).strip();
                    boolean deleted = file.endsWith(DELETED);
                    if (deleted) {
                        file = file.substring(0, file.length() - DELETED.length());
                    }
                    if (image != null && (deleted || !Path.of(file).equals(image))) {
                        continue;
                    }
                    String number = Files.readString(dir.resolve("dev")).strip();
                    long sectors = Long.parseLong(Files.readString(dir.resolve("size")).strip());
                    boolean autoclear = "1".equals(Files.readString(dir.resolve("loop/autoclear")).strip());
                    out.add(new Loop(Path.of("/dev", dir.getFileName().toString()), Path.of(file), deleted, number,
                            sectors * 512, autoclear));
                } catch (IOException | RuntimeException e) {
                    // not attached (no backing_file), or detached while we looked
                }
            }
        } catch (IOException e) {
            // no sysfs: nothing attached that we could see
        }
        return out;
    }

    /** Attaches {@code image}; an existing device for it is reused by losetup itself ({@code --nooverlap}). */
    Path attach(ErrorContext ctx, Path image) {
        ProcessResult r = processes.run(ctx, List.of("losetup", "--find", "--show", "--nooverlap", image.toString()), timeout)
                .requireSuccess(ctx);
        String device = r.stdout().strip();
        if (!device.startsWith("/dev/")) {
            throw new OperationFailedException(ctx, "losetup attached " + image + " but printed no device: '" + device + "'", null);
        }
        return Path.of(device);
    }

    /**
     * Detaches {@code device}. While something holds the device open (often udev's probe, which
     * opens a loop device for a moment after every change) {@code losetup --detach} only marks it to
     * go at its last close; this waits a little ({@link #SETTLE}) for that, so that a detach usually
     * returns with the device gone. A device held longer stays, shown as detaching.
     */
    void detach(ErrorContext ctx, Path device) {
        ProcessResult r = processes.run(ctx, List.of("losetup", "--detach", device.toString()), timeout);
        // "No such device or address": it went away meanwhile, which is what we wanted
        if (!r.succeeded() && !r.stderr().contains("No such device")) {
            throw new OperationFailedException(ctx, r.describeFailure(), null);
        }
        Path backing = sysBlock.resolve(device.getFileName().toString()).resolve("loop/backing_file");
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (Files.exists(backing) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(SETTLE_POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** Makes the kernel re-read the size of the backing file. */
    void refreshCapacity(ErrorContext ctx, Path device) {
        processes.run(ctx, List.of("losetup", "--set-capacity", device.toString()), timeout).requireSuccess(ctx);
    }

    /** Where these loop devices are mounted on this host, as the OS layer's view of the host says. */
    static List<MountEntry> mountsOf(List<Loop> loops, HostDevices host, ErrorContext ctx) {
        List<MountEntry> out = new ArrayList<>();
        for (Loop l : loops) {
            out.addAll(host.mountsOf(ctx, l.deviceNumber()));
        }
        return out;
    }
}
