package io.libstorage.core.internal.linux;

import io.libstorage.api.BindState;
import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The Linux OS driver: {@code blkid} plus our own reads to probe, {@code mkfs.ext4|xfs|btrfs} to
 * format, {@code mount}/{@code umount} to mount, {@code /proc/self/mountinfo} for the mount table.
 *
 * <p>It is also the {@link io.libstorage.spi.HostDevices} view storage drivers get: mounts of a device
 * number, holders of a device (from {@code /proc}).
 *
 * <p>Every command runs through the {@link ProcessRunner} as an argument list with a deadline
 * ({@code commandTimeout}, or {@code mkfsTimeout} for mkfs and filesystem growth); a failure carries
 * the command's decoded stderr. The mount table, device numbers and the boot id are read in-process
 * so the idempotent paths (already mounted, not mounted) spawn nothing.
 *
 * <p>Idempotency: {@link #mount} of a target that already holds the device succeeds without a
 * second mount, {@link #unmount} of a target that is not mounted succeeds, {@link #format} never
 * touches a device that is not blank unless the request says overwrite. Thread-safe.
 */
public final class LinuxOSDriver implements OSDriver {
    public static final String NAME = "linux";
    private static final Logger LOG = LoggerFactory.getLogger(LinuxOSDriver.class);
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final ExecutorService REGION_READER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "libstorage-device-reader");
        t.setDaemon(true);
        return t;
    });

    private final ProcessRunner processes;
    private final Duration commandTimeout;
    private final Duration mkfsTimeout;
    private final ProcessHolders holders = ProcessHolders.system();
    private final Predicate<String> installed;
    private volatile String bootId;

    public LinuxOSDriver(ProcessRunner processes, Duration commandTimeout, Duration mkfsTimeout) {
        this(processes, commandTimeout, mkfsTimeout, LinuxOSDriver::onPath);
    }

    LinuxOSDriver(ProcessRunner processes, Duration commandTimeout, Duration mkfsTimeout, Predicate<String> installed) {
        this.processes = processes;
        this.commandTimeout = commandTimeout;
        this.mkfsTimeout = mkfsTimeout;
        this.installed = installed;
    }

    @Override
    public String name() {
        return NAME;
    }

    // ------------------------------------------------------------------ probe and format

    /** ext4, xfs and btrfs, each only when its {@code mkfs.<type>} is on the {@code PATH} the commands run with. */
    @Override
    public Set<String> supportedFilesystems() {
        Set<String> out = new TreeSet<>();
        for (String fs : FilesystemType.names()) {
            if (installed.test("mkfs." + fs)) {
                out.add(fs);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Whether {@code program} is an executable file in a directory of {@code PATH}, as the process runner finds it. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the sampled regions first (an unreadable device is a {@link DeviceIOException}, whatever
     * blkid would say), then asks {@code blkid -p}. Blank means: blkid found nothing and every
     * sampled byte is zero; non-zero bytes without a signature are {@code Signature("data", "non-zero data")}.
     */
    @Override
    public ProbeResult probe(ErrorContext context, Path device) {
        if (!Files.exists(device)) {
            throw new DeviceIOException(context, "cannot probe " + device + ": no such device", null);
        }
        // our own read of the sampled regions runs while blkid probes (they are independent checks)
        CompletableFuture<Boolean> zeros = CompletableFuture.supplyAsync(() -> {
            try {
                return DeviceRegions.sampledRegionsAreZero(device);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, REGION_READER);
        ProcessResult blkid = run(context, BlkidProbe.command(device), commandTimeout);
        try {
            return BlkidProbe.interpret(blkid, zeros.join(), device, context);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw new DeviceIOException(context, "cannot read " + device + ": "
                    + (cause instanceof IOException io ? describe(io) : String.valueOf(cause)), cause);
        }
    }

    /** Our own direct read of the first 4 KiB, in-process (no {@code blkid}): a failing device reports its I/O error. */
    @Override
    public void checkReadable(ErrorContext context, Path device) {
        if (!Files.exists(device)) {
            throw new DeviceIOException(context, "cannot read " + device + ": no such device", null);
        }
        try {
            DeviceRegions.readStart(device);
        } catch (IOException e) {
            throw new DeviceIOException(context, "cannot read " + device + ": " + describe(e), e);
        }
    }

    @Override
    public void format(ErrorContext context, Path device, FormatOptions request) {
        FilesystemType type = FilesystemType.of(request.fsType()).orElseThrow(() -> new InvalidRequestException(context,
                "cannot format " + device + " as '" + request.fsType() + "': the supported filesystems are " + FilesystemType.names()));
        Optional<String> number = deviceNumber(context, device);
        if (number.isEmpty()) {
            throw new DeviceIOException(context, "cannot format " + device + ": it is not a block device", null);
        }
        List<MountEntry> mounted = mountsOf(context, number.get());
        if (!mounted.isEmpty()) {
            throw new RefusedToFormatException(context, device.toString(), "it is mounted at "
                    + mounted.stream().map(e -> e.mountPoint().toString()).toList());
        }
        // The caller probed with blkid moments ago under the volume lock; right before mkfs the sampled
        // regions (where every known signature lives) are read again, and mkfs itself, run without its
        // force flag, refuses a device that carries a filesystem. A full probe runs only to name what is there.
        if (!request.overwrite()) {
            boolean zeros;
            try {
                zeros = DeviceRegions.sampledRegionsAreZero(device);
            } catch (IOException e) {
                throw new DeviceIOException(context, "cannot read " + device + ": " + describe(e), e);
            }
            if (!zeros) {
                ProbeResult found = probe(context, device);
                throw new RefusedToFormatException(context, device.toString(),
                        found instanceof ProbeResult.Signature s ? s.toString() : "non-zero data");
            }
        } else if (probe(context, device) instanceof ProbeResult.Signature s) {
            LOG.warn("overwriting {} on {} with {} as explicitly requested [{}]", s, device, type.fsName(), context.describe());
        }
        run(context, type.mkfsCommand(device, request.options(), request.label(), request.overwrite()), mkfsTimeout)
                .requireSuccess(context);
        LOG.info("formatted {} as {} [{}]", device, type.fsName(), context.describe());
    }

    // ------------------------------------------------------------------ mount and unmount

    @Override
    public void mount(ErrorContext context, Path device, Path target, String fsType, List<String> options) {
        String number = deviceNumber(context, device).orElseThrow(() -> new DeviceIOException(context,
                "cannot mount " + device + ": it is not a block device (or no longer exists)", null));
        Path mountPoint = canonical(target);
        List<String> flat = options.stream().flatMap(o -> Arrays.stream(o.split(","))).map(String::strip)
                .filter(o -> !o.isEmpty()).toList();
        boolean readOnly = flat.contains("ro");
        MountEntry existing = MountTable.at(readMounts(context), mountPoint);
        if (existing != null) {
            if (!existing.deviceNumber().equals(number)) {
                throw new OperationFailedException(context, "cannot mount " + device + " (" + number + ") at " + mountPoint
                        + ": it already holds " + describe(existing), null);
            }
            if (existing.readOnly() != readOnly) {
                throw new OperationFailedException(context, mountPoint + " already holds " + device + " mounted "
                        + (existing.readOnly() ? "read-only" : "read-write") + " but a "
                        + (readOnly ? "read-only" : "read-write") + " mount was requested", null);
            }
            return;
        }
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot create the mount point " + mountPoint + ": " + describe(e), e);
        }
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", fsType));
        if (!flat.isEmpty()) {
            cmd.add("-o");
            cmd.add(String.join(",", flat));
        }
        cmd.add(device.toString());
        cmd.add(mountPoint.toString());
        run(context, cmd, commandTimeout).requireSuccess(context);
    }

    @Override
    public void unmount(ErrorContext context, Path target, boolean lazy) {
        Path mountPoint = canonical(target);
        if (MountTable.at(readMounts(context), mountPoint) == null) {
            return;
        }
        List<String> cmd = lazy ? List.of("umount", "-l", mountPoint.toString()) : List.of("umount", mountPoint.toString());
        ProcessResult r = run(context, cmd, commandTimeout);
        if (r.succeeded() || MountTable.at(readMounts(context), mountPoint) == null) {
            return;
        }
        if (ProcessHolders.saysBusy(r)) {
            throw VolumeInUseException.busy(context, "the mount at " + mountPoint, holders.holding(mountPoint));
        }
        throw new OperationFailedException(context, r.describeFailure(), null);
    }

    @Override
    public BindState bindState(ErrorContext context, Path source, Path target) {
        return BindMounts.state(readMounts(context), source, target);
    }

    @Override
    public void bind(ErrorContext context, Path source, Path target, boolean readOnly) {
        BindState s = bindState(context, source, target);
        if (s == BindState.NOTHING) {
            run(context, List.of("mount", "--bind", source.toString(), target.toString()), commandTimeout).requireSuccess(context);
            s = BindState.SOURCE_READ_WRITE;
        }
        if (readOnly && s == BindState.SOURCE_READ_WRITE) {
            run(context, List.of("mount", "-o", "remount,bind,ro", target.toString()), commandTimeout).requireSuccess(context);
        }
    }

    @Override
    public void unbind(ErrorContext context, Path target) {
        for (int i = 0; i < BindMounts.MAX_STACKED && mountedAt(context, target); i++) {
            run(context, List.of("umount", target.toString()), commandTimeout).requireSuccess(context);
        }
    }

    @Override
    public List<MountEntry> mounts(ErrorContext context) {
        return readMounts(context);
    }

    @Override
    public Optional<MountEntry> mountAt(ErrorContext context, Path target) {
        return Optional.ofNullable(MountTable.at(readMounts(context), canonical(target)));
    }

    private List<MountEntry> readMounts(ErrorContext context) {
        try {
            return MountTable.read();
        } catch (IOException | IllegalArgumentException e) {
            throw new OperationFailedException(context, "cannot read " + MountTable.PROC_SELF_MOUNTINFO + ": " + describe(e), e);
        }
    }

    @Override
    public List<MountEntry> mountsOf(ErrorContext context, String deviceNumber) {
        return readMounts(context).stream().filter(e -> e.deviceNumber().equals(deviceNumber)).toList();
    }

    /** The processes found in {@code /proc} holding the device or a file on its filesystem. */
    @Override
    public List<ProcessHolder> holdersOf(ErrorContext context, String deviceNumber) {
        return holders.usingDevice(deviceNumber);
    }

    /**
     * The path as the kernel writes it in mountinfo: symbolic links in the parent directories
     * resolved. The last component is left alone, because stat-ing the root of a failing mount
     * may itself fail.
     */
    static Path canonical(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            return abs;
        }
        try {
            return parent.toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            return abs;
        }
    }

    // ------------------------------------------------------------------ device facts

    @Override
    public Optional<String> deviceNumber(ErrorContext context, Path device) {
        try {
            return MountTable.blockDeviceNumber(device);
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot stat " + device + ": " + describe(e), e);
        }
    }

    @Override
    public String bootId() {
        String id = bootId;
        if (id == null) {
            try {
                id = Files.readString(BOOT_ID).strip();
            } catch (IOException e) {
                throw new OperationFailedException(ErrorContext.of("read boot id", null, null, NAME),
                        "cannot read " + BOOT_ID + ": " + describe(e), e);
            }
            bootId = id;
        }
        return id;
    }

    // ------------------------------------------------------------------ grow, freeze (for the integration layer)

    /**
     * ext2/3/4: {@code resize2fs} (online when mounted; offline after a forced {@code e2fsck -p});
     * xfs: {@code xfs_growfs}; btrfs: {@code btrfs filesystem resize max}. xfs and btrfs grow only
     * while mounted. Growing a filesystem that already fills its device changes nothing.
     */
    @Override
    public void growFilesystem(ErrorContext context, Path device, Path mountPoint, String fsType) {
        boolean mounted = mountPoint != null && deviceNumber(context, device)
                .flatMap(n -> mountAt(context, mountPoint).filter(e -> e.deviceNumber().equals(n))).isPresent();
        switch (fsType) {
            case "ext2", "ext3", "ext4" -> {
                if (!mounted) {
                    ProcessResult fsck = run(context, List.of("e2fsck", "-f", "-p", device.toString()), mkfsTimeout);
                    if (fsck.exitCode() > 1) {
                        throw new OperationFailedException(context, "checking before the offline grow: " + fsck.describeFailure(), null);
                    }
                }
                ProcessResult resize = run(context, List.of("resize2fs", device.toString()), mkfsTimeout);
                if (!resize.succeeded()) {
                    boolean denied = mounted && resize.stderr().contains("Permission denied");
                    throw new OperationFailedException(context, resize.describeFailure() + (denied
                            ? " (growing a mounted ext4 filesystem needs CAP_SYS_RESOURCE; grow it unmounted instead)" : ""), null);
                }
            }
            case "xfs", "btrfs" -> {
                if (!mounted) {
                    throw new OperationFailedException(context, "cannot grow the " + fsType + " filesystem on " + device
                            + ": it grows only while mounted, and it is not mounted at " + mountPoint, null);
                }
                List<String> cmd = fsType.equals("xfs") ? List.of("xfs_growfs", canonical(mountPoint).toString())
                        : List.of("btrfs", "filesystem", "resize", "max", canonical(mountPoint).toString());
                ProcessResult grow = run(context, cmd, mkfsTimeout);
                if (!grow.succeeded()) {
                    boolean einval = fsType.equals("btrfs") && grow.stderr().contains("Invalid argument");
                    throw new OperationFailedException(context, grow.describeFailure()
                            + (einval ? " (btrfs refuses to resize to less than 256 MiB)" : ""), null);
                }
            }
            default -> throw new InvalidRequestException(context, "cannot grow a " + fsType
                    + " filesystem: supported are ext2, ext3, ext4, xfs and btrfs");
        }
    }

    /** {@code fsfreeze -f}: pending writes reach the device, new ones wait until {@link #thaw}. */
    @Override
    public void freeze(ErrorContext context, Path mountPoint) {
        run(context, List.of("fsfreeze", "-f", canonical(mountPoint).toString()), commandTimeout).requireSuccess(context);
    }

    /** {@code fsfreeze -u}; a filesystem that is not frozen (the kernel answers EINVAL) is left as it is. */
    @Override
    public void thaw(ErrorContext context, Path mountPoint) {
        ProcessResult r = run(context, List.of("fsfreeze", "-u", canonical(mountPoint).toString()), commandTimeout);
        if (!r.succeeded() && !r.stderr().contains("Invalid argument")) {
            throw new OperationFailedException(context, r.describeFailure(), null);
        }
    }

    // ------------------------------------------------------------------ helpers

    private ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
        return processes.run(context, command, timeout);
    }

    private static String describe(MountEntry e) {
        return e.source() + " (" + e.deviceNumber() + ", " + e.fsType()
                + (e.root().equals("/") ? "" : ", bind mount of " + e.root()) + ")";
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String base = e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName();
        return m == null || m.isBlank() ? base : (e instanceof NoSuchFileException ? base + ": " + m : m);
    }

    @Override
    public String toString() {
        return "LinuxOSDriver[commandTimeout=" + commandTimeout + ", mkfsTimeout=" + mkfsTimeout + "]";
    }
}
