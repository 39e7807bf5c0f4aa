package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.VolumeBusyException;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.AtomicFiles;
import io.libstorage.spi.support.ProcessHolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What localfs does to filesystems mounted from its loop devices, running the tools itself
 * (a storage driver does not depend on the OS driver): unmount for a forced detach, freeze
 * and thaw around a snapshot copy, online growth after the image grew.
 */
final class MountedFilesystems {
    private static final Logger LOG = LoggerFactory.getLogger(MountedFilesystems.class);
    private final ProcessRunner processes;
    private final Duration timeout;
    private final Duration slowTimeout;
    private final Path markers;

    MountedFilesystems(ProcessRunner processes, Duration timeout, Duration slowTimeout, Path markers) {
        this.processes = processes;
        this.timeout = timeout;
        this.slowTimeout = slowTimeout;
        this.markers = markers;
    }

    /**
     * Unmounts {@code mount}, never lazily: a mount that processes still use stays, and the refusal
     * names them.
     *
     * @throws VolumeBusyException when the mount is busy
     */
    void unmount(MountEntry mount, ErrorContext ctx) {
        ProcessResult r = processes.run(ctx, List.of("umount", mount.mountPoint().toString()), timeout);
        if (r.succeeded() || r.stderr().contains("not mounted")) {
            return;
        }
        if (ProcessHolders.saysBusy(r)) {
            throw new VolumeBusyException(ctx, "the mount at " + mount.mountPoint(), ProcessHolders.system().holding(mount.mountPoint()));
        }
        throw new OperationFailedException(ctx, r.describeFailure(), null);
    }

    /**
     * Freezes the filesystem at {@code mount}. A marker naming the mount point is written first,
     * so that a process that dies while the filesystem is frozen leaves a note for the next
     * start-up reconcile to thaw it (writers to a frozen filesystem would block forever).
     */
    void freeze(String volumeId, MountEntry mount, ErrorContext ctx) {
        Path marker = markers.resolve(volumeId);
        try {
            AtomicFiles.write(marker, mount.mountPoint().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write " + marker + ": " + e.getMessage(), e);
        }
        ProcessResult r = processes.run(ctx, List.of("fsfreeze", "--freeze", mount.mountPoint().toString()), timeout);
        if (!r.succeeded()) {
            deleteMarker(marker);
            throw new OperationFailedException(ctx, r.describeFailure(), null);
        }
    }

    void thaw(String volumeId, MountEntry mount, ErrorContext ctx) {
        processes.run(ctx, List.of("fsfreeze", "--unfreeze", mount.mountPoint().toString()), timeout).requireSuccess(ctx);
        deleteMarker(markers.resolve(volumeId));
    }

    /** Thaws what a crashed snapshot left frozen; returns a line per marker handled. */
    List<String> thawLeftovers(ErrorContext ctx) {
        if (!Files.isDirectory(markers)) {
            return List.of();
        }
        try (var files = Files.list(markers)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).map(marker -> {
                try {
                    String mountPoint = Files.readString(marker).strip();
                    ProcessResult r = processes.run(ctx, List.of("fsfreeze", "--unfreeze", mountPoint), timeout);
                    deleteMarker(marker);
                    return r.succeeded() ? "thawed " + mountPoint + ", left frozen by an interrupted snapshot of " + marker.getFileName()
                            : "found the freeze marker of " + marker.getFileName() + " for " + mountPoint + " (it was not frozen)";
                } catch (IOException e) {
                    return "cannot read the freeze marker " + marker + ": " + e.getMessage();
                }
            }).toList();
        } catch (IOException e) {
            return List.of("cannot list " + markers + ": " + e.getMessage());
        }
    }

    /** Grows the filesystem mounted at {@code mount} from {@code device} to fill the device. */
    void grow(Path device, MountEntry mount, ErrorContext ctx) {
        List<String> cmd = switch (mount.fsType()) {
            case "ext2", "ext3", "ext4" -> List.of("resize2fs", device.toString());
            case "xfs" -> List.of("xfs_growfs", mount.mountPoint().toString());
            case "btrfs" -> List.of("btrfs", "filesystem", "resize", "max", mount.mountPoint().toString());
            default -> throw new OperationFailedException(ctx, "the image grew, but localfs cannot grow a mounted "
                    + mount.fsType() + " filesystem (it grows ext2/3/4, xfs and btrfs)", null);
        };
        ProcessResult r = processes.run(ctx, cmd, slowTimeout);
        if (!r.succeeded()) {
            String hint = r.stderr().contains("Permission denied") ? " (growing a mounted ext4 needs CAP_SYS_RESOURCE)"
                    : mount.fsType().equals("btrfs") && r.stderr().contains("Invalid argument") ? " (btrfs refuses sizes under 256 MiB)" : "";
            throw new OperationFailedException(ctx, "the image grew, but growing its filesystem failed: " + r.describeFailure() + hint, null);
        }
    }

    /** Grows an unmounted ext2/3/4 filesystem on an attached device (check first, as resize2fs demands). */
    void growOffline(Path device, String fsType, ErrorContext ctx) {
        if (!List.of("ext2", "ext3", "ext4").contains(fsType)) {
            throw new OperationFailedException(ctx, "cannot grow an unmounted " + fsType + " filesystem; mount it and grow again", null);
        }
        ProcessResult fsck = processes.run(ctx, List.of("e2fsck", "-f", "-p", device.toString()), slowTimeout);
        if (fsck.exitCode() > 1) {
            throw new OperationFailedException(ctx, "checking before the offline grow: " + fsck.describeFailure(), null);
        }
        processes.run(ctx, List.of("resize2fs", device.toString()), slowTimeout).requireSuccess(ctx);
    }

    /** The filesystem type on an unmounted device ({@code blkid -p}), or empty when it holds none. */
    Optional<String> filesystemType(Path device, ErrorContext ctx) {
        ProcessResult r = processes.run(ctx, List.of("blkid", "-p", "-o", "value", "-s", "TYPE", device.toString()), timeout);
        if (r.exitCode() == 2) {
            return Optional.empty();
        }
        r.requireSuccess(ctx);
        return Optional.of(r.stdout().strip()).filter(t -> !t.isEmpty());
    }

    private static void deleteMarker(Path marker) {
        try {
            AtomicFiles.delete(marker);
        } catch (IOException e) {
            LOG.warn("cannot delete the freeze marker {}: {}", marker, e.getMessage());
        }
    }
}
