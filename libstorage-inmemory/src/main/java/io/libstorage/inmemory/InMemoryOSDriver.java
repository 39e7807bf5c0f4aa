package io.libstorage.inmemory;

import io.libstorage.api.BindState;
import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeId;
import io.libstorage.inmemory.Model.SimHost;
import io.libstorage.inmemory.Model.SimVolume;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One simulated host's OS: devices are the volumes mapped to the host, the mount table is
 * simulated, and a mount makes the mount point a symbolic link to the volume's data directory so
 * that files written through it live with the volume.
 */
final class InMemoryOSDriver implements OSDriver {
    /** What the simulated mkfs makes. */
    static final Set<String> FILESYSTEMS = java.util.Collections.unmodifiableSortedSet(
            new java.util.TreeSet<>(List.of("btrfs", "ext2", "ext3", "ext4", "xfs")));
    private final Backend backend;
    private final HostId host;

    InMemoryOSDriver(Backend backend, HostId host) {
        this.backend = backend;
        this.host = host;
    }

    @Override
    public String name() {
        return "memory";
    }

    private <T> T call(OsOp op, Supplier<T> body) {
        backend.recordCall(host, op);
        synchronized (backend) {
            return body.get();
        }
    }

    /** The volume behind a device path of this host, if the device is present. */
    private Optional<SimVolume> deviceVolume(Path device) {
        SimHost h = backend.hostState(host);
        if (!h.alive || h.partitioned || device.getParent() == null || !device.getParent().equals(Path.of("/dev/memvol"))) {
            return Optional.empty();
        }
        return backend.volume(new VolumeId(device.getFileName().toString()))
                .filter(v -> v.mappings.containsKey(host));
    }

    private SimVolume readable(ErrorContext ctx, Path device) {
        SimHost h = backend.hostState(host);
        if (h.partitioned) {
            throw new DeviceIOException(ctx, "reading " + device + " failed: I/O error (host partitioned from the storage system)", null);
        }
        SimVolume v = deviceVolume(device).orElseThrow(() ->
                new DeviceIOException(ctx, "reading " + device + " failed: no such device", null));
        if (backend.faults().ioError(v.name)) {
            throw new DeviceIOException(ctx, "reading " + device + " failed: Input/output error (injected)", null);
        }
        return v;
    }

    @Override
    public ProbeResult probe(ErrorContext ctx, Path device) {
        return call(OsOp.PROBE, () -> {
            SimVolume v = readable(ctx, device);
            return v.disk.signature == null ? ProbeResult.blank() : v.disk.signature;
        });
    }

    @Override
    public Set<String> supportedFilesystems() {
        return FILESYSTEMS;
    }

    @Override
    public void format(ErrorContext ctx, Path device, FormatOptions request) {
        call(OsOp.FORMAT, () -> {
            SimVolume v = readable(ctx, device);
            if (v.disk.signature != null && !request.overwrite()) {
                throw new RefusedToFormatException(ctx, device.toString(), v.disk.signature.toString());
            }
            if (!FILESYSTEMS.contains(request.fsType())) {
                throw new OperationFailedException(ctx, "mkfs." + request.fsType() + " does not exist", null);
            }
            v.disk.signature = new ProbeResult.Signature(request.fsType(), "filesystem");
            v.disk.formatCount++;
            DataDirs.clear(v.disk.dataDir);
            return null;
        });
    }

    @Override
    public void mount(ErrorContext ctx, Path device, Path target, String fsType, List<String> options) {
        call(OsOp.MOUNT, () -> {
            Path t = target.toAbsolutePath().normalize();
            SimVolume v = readable(ctx, device);
            SimHost h = backend.hostState(host);
            Optional<MountEntry> existing = h.mounts.stream().filter(m -> m.mountPoint().equals(t)).reduce((a, b) -> b);
            String number = v.deviceNumber();
            if (existing.isPresent()) {
                if (existing.get().deviceNumber().equals(number)) {
                    return null;
                }
                throw new OperationFailedException(ctx, t + " already holds " + existing.get().source(), null);
            }
            if (!(v.disk.signature instanceof ProbeResult.Signature s) || !s.isFilesystem() || !s.type().equals(fsType)) {
                throw new OperationFailedException(ctx, "mount: " + t + ": wrong fs type, bad option, bad superblock on " + device, null);
            }
            try {
                Files.createDirectories(t.getParent());
                if (Files.isSymbolicLink(t) || Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(t);
                }
                Files.createSymbolicLink(t, v.disk.dataDir);
            } catch (IOException e) {
                throw new OperationFailedException(ctx, "cannot mount at " + t + ": " + e, e);
            }
            h.mounts.add(new MountEntry(h.nextMountId++, 1, Model.DEVICE_MAJOR, v.minor, "/", t,
                    options.contains("ro") ? List.of("ro") : List.of("rw"), fsType, device.toString(), List.of("rw")));
            return null;
        });
    }

    @Override
    public void unmount(ErrorContext ctx, Path target, boolean lazy) {
        call(OsOp.UNMOUNT, () -> {
            Path t = target.toAbsolutePath().normalize();
            SimHost h = backend.hostState(host);
            Optional<MountEntry> top = h.mounts.stream().filter(m -> m.mountPoint().equals(t)).reduce((a, b) -> b);
            if (top.isEmpty()) {
                return null;
            }
            List<ProcessHolder> holders = backend.faults().busyHolders(t);
            if (holders != null && !lazy) {
                throw VolumeInUseException.busy(ctx, "the mount at " + t, holders);
            }
            h.mounts.remove(top.get());
            try {
                if (Files.isSymbolicLink(t)) {
                    Files.delete(t);
                    Files.createDirectories(t);
                }
            } catch (IOException e) {
                throw new OperationFailedException(ctx, "cannot restore the mount point " + t + ": " + e, e);
            }
            return null;
        });
    }

    @Override
    public List<MountEntry> mounts(ErrorContext ctx) {
        return call(OsOp.MOUNTS, () -> List.copyOf(backend.hostState(host).mounts));
    }

    @Override
    public Optional<String> deviceNumber(ErrorContext ctx, Path device) {
        synchronized (backend) {
            return deviceVolume(device).map(SimVolume::deviceNumber);
        }
    }

    @Override
    public String bootId() {
        synchronized (backend) {
            return host.value() + "-boot-" + backend.hostState(host).boot;
        }
    }

    @Override
    public void growFilesystem(ErrorContext ctx, Path device, Path mountPoint, String fsType) {
        call(OsOp.GROW_FILESYSTEM, () -> {
            readable(ctx, device);
            return null;
        });
    }

    /** Counted; the simulated filesystem has nothing to flush. */
    @Override
    public void freeze(ErrorContext ctx, Path mountPoint) {
        call(OsOp.FREEZE, () -> null);
    }

    @Override
    public void thaw(ErrorContext ctx, Path mountPoint) {
        call(OsOp.THAW, () -> null);
    }

    @Override
    public String toString() {
        return "InMemoryOSDriver[" + host + "]";
    }

    // ------------------------------------------------------------------ bind mounts, simulated
    // A bound target is a symbolic link to its source, so files written through it land in the source and the state
    // survives a restart of the caller as a real mount would. A read-only bind of a directory links to
    // "<source>/." (the same directory), which is how it is told apart from a read-write one.

    private static final String READ_ONLY_SUFFIX = "/.";

    @Override
    public BindState bindState(ErrorContext context, Path source, Path target) {
        if (!Files.isSymbolicLink(target)) {
            return BindState.NOTHING;
        }
        String link;
        try {
            link = Files.readSymbolicLink(target).toString();
        } catch (IOException e) {
            link = "";
        }
        if (link.equals(source.toString())) {
            return BindState.SOURCE_READ_WRITE;
        }
        return link.equals(source + READ_ONLY_SUFFIX) ? BindState.SOURCE_READ_ONLY : BindState.OTHER;
    }

    @Override
    public void bind(ErrorContext context, Path source, Path target, boolean readOnly) {
        if (bindState(context, source, target) != BindState.NOTHING) {
            return;
        }
        try {
            boolean file = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(source + (readOnly && !file ? READ_ONLY_SUFFIX : "")));
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot bind " + source + " at " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unbind(ErrorContext context, Path target) {
        if (!Files.isSymbolicLink(target)) {
            return;
        }
        try {
            boolean directory = Files.isDirectory(target);
            Files.delete(target);
            if (directory) {
                Files.createDirectory(target);
            } else {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot unbind " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean mountedAt(ErrorContext context, Path target) {
        return Files.isSymbolicLink(target) || mountAt(context, target).isPresent();
    }
}

