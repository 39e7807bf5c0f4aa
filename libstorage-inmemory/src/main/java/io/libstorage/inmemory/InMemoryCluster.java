package io.libstorage.testing;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Preemption;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.UnsafeMultiMappingException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.Preemptions;
import io.libstorage.spi.support.SpecCompatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A simulated storage system shared by many simulated hosts, for tests: each host gets its own
 * {@link StorageDriver} (with its {@link io.libstorage.spi.HostSide}) and {@link OSDriver}. The
 * model keeps what matters for correctness: which hosts a volume is mapped to, whether a host is
 * connected to the storage system, each host's devices and mount table, and each volume's content
 * (its signature, how often it was formatted, and its files, kept in a real directory so that data
 * written through a mount path can be read back on another host).
 *
 * <p>Faults: {@link #faults()} (unavailable/slow back end, failed or lost unmaps, hidden
 * devices, expired sessions, busy mounts, I/O errors) and host events ({@link #killHost},
 * {@link #partition}, {@link #heal}, {@link #reboot}). Every call is counted in {@link #calls()}.
 *
 * <p>Thread-safe: the back end serialises its state changes like a real control plane would.
 */
public final class InMemoryCluster implements AutoCloseable {
    private static final Map<String, InMemoryCluster> REGISTRY = new ConcurrentHashMap<>();
    static final int DEVICE_MAJOR = 240;

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Faults faults = new Faults();
    private final CallCounts calls = new CallCounts();
    private final Map<String, SimVolume> volumes = new LinkedHashMap<>();
    private final Map<String, SimSnapshot> snapshots = new LinkedHashMap<>();
    private final Map<HostId, SimHost> hosts = new ConcurrentHashMap<>();
    private final List<LibStorage> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger minors = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();
    private volatile long granularity = ByteSizes.MIB;
    private volatile Duration ownerGracePeriod = Duration.ZERO;
    private final Set<Feature> features = EnumSet.of(Feature.SNAPSHOTS, Feature.CREATE_FROM_SNAPSHOT, Feature.GROW,
            Feature.REMOTE_ATTACH, Feature.OWNER_LIVENESS, Feature.MULTI_HOST_ACCESS);

    private InMemoryCluster(Path workDir, boolean owns) {
        this.workDir = workDir;
        this.ownsWorkDir = owns;
    }

    /** A new cluster working in a fresh temporary directory, deleted by {@link #close()}. */
    public static InMemoryCluster create() {
        try {
            return new InMemoryCluster(Files.createTempDirectory("libstorage-memory-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The cluster registered under {@code name}, created on first use. The {@code memory} drivers
     * found through {@link java.util.ServiceLoader} use it (config key {@code cluster}). It lives
     * until {@link #forget} or the end of the JVM, which removes its directory.
     */
    public static InMemoryCluster named(String name) {
        return REGISTRY.computeIfAbsent(name, n -> {
            InMemoryCluster c = create();
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "libstorage-memory-cleanup"));
            return c;
        });
    }

    /** Drops a registered cluster and closes it. */
    public static void forget(String name) {
        InMemoryCluster c = REGISTRY.remove(name);
        if (c != null) {
            c.close();
        }
    }

    public Faults faults() {
        return faults;
    }

    public CallCounts calls() {
        return calls;
    }

    public Path workDir() {
        return workDir;
    }

    /** Allocation granularity of new volumes (default 1 MiB); e.g. 8 GiB to behave like ScaleIO. */
    public void granularity(long bytes) {
        this.granularity = bytes;
    }

    /** How long an owner must be disconnected before IF_OWNER_UNREACHABLE may take its volumes (default 0). */
    public void ownerGracePeriod(Duration grace) {
        this.ownerGracePeriod = grace;
    }

    /** Removes a feature from every driver of this cluster (to test how callers cope without it). */
    public void disable(Feature feature) {
        features.remove(feature);
    }

    // ------------------------------------------------------------------ hosts

    /** Registers (if new) and returns a host. */
    public HostId host(String id) {
        HostId h = new HostId(id);
        hosts.computeIfAbsent(h, SimHost::new);
        return h;
    }

    public StorageDriver storageDriver(String host) {
        return new InMemoryStorageDriver(this, host(host));
    }

    public OSDriver osDriver(String host) {
        return new InMemoryOSDriver(this, host(host));
    }

    /**
     * A ready {@link LibStorage} for {@code host}, with its own state root and mount root in this
     * cluster's directory; closed by {@link #close()}.
     */
    public LibStorage libStorage(String host) {
        return libStorage(host, b -> { });
    }

    public LibStorage libStorage(String host, Consumer<LibStorage.Builder> customizer) {
        Path hostDir = workDir.resolve("hosts").resolve(host);
        LibStorage.Builder b = LibStorage.builder()
                .storageDriver(storageDriver(host))
                .osDriver(osDriver(host))
                .stateRoot(hostDir.resolve("state"))
                .mountRoot(hostDir.resolve("mnt"))
                .deviceWaitTimeout(Duration.ofSeconds(2));
        customizer.accept(b);
        LibStorage ls = b.build();
        opened.add(ls);
        return ls;
    }

    /** The host's process dies: it stops answering and the storage system reports it disconnected. */
    public void killHost(String host) {
        SimHost h = hostState(host(host));
        synchronized (this) {
            h.alive = false;
            h.disconnectedSince = clock.instant();
        }
    }

    /** The host stays alive but loses its connection to the storage system (control and data path). */
    public void partition(String host) {
        SimHost h = hostState(host(host));
        synchronized (this) {
            h.partitioned = true;
            h.disconnectedSince = clock.instant();
        }
    }

    /** Ends a partition. */
    public void heal(String host) {
        SimHost h = hostState(host(host));
        synchronized (this) {
            h.partitioned = false;
            h.disconnectedSince = h.alive ? null : h.disconnectedSince;
        }
    }

    /** The host (dead or alive) boots again: a new boot id, an empty mount table, connected again. */
    public void reboot(String host) {
        SimHost h = hostState(host(host));
        synchronized (this) {
            h.alive = true;
            h.partitioned = false;
            h.disconnectedSince = null;
            h.boot++;
            h.mounts.clear();
        }
    }

    /** What the storage system knows about the host's connection. */
    public synchronized Liveness liveness(String host) {
        SimHost h = hostState(host(host));
        return h.connected() ? Liveness.CONNECTED : Liveness.DISCONNECTED;
    }

    // ------------------------------------------------------------------ inspection for tests

    /** The hosts a volume is mapped to, in mapping order. */
    public synchronized List<HostId> mappingsOf(String volumeName) {
        return volumeNamed(volumeName).map(v -> List.copyOf(v.mappings.keySet())).orElse(List.of());
    }

    /** How often the volume's device was formatted. */
    public synchronized int formatCount(String volumeName) {
        return volumeNamed(volumeName).map(v -> v.disk.formatCount).orElse(0);
    }

    /** The filesystem on the volume, if any. */
    public synchronized Optional<String> filesystemOf(String volumeName) {
        return volumeNamed(volumeName).map(v -> v.disk.signature)
                .filter(s -> s instanceof ProbeResult.Signature sig && sig.isFilesystem())
                .map(s -> ((ProbeResult.Signature) s).type());
    }

    /** Puts a signature on a volume's disk, as if something (a partition table, LUKS, another fs) had been written to it. */
    public synchronized void writeSignature(String volumeName, String type, String usage) {
        volumeNamed(volumeName).orElseThrow().disk.signature = new ProbeResult.Signature(type, usage);
    }

    /** Adds a second back-end volume with an existing name, as another tool might have (for ambiguity tests). */
    public synchronized VolumeId addDuplicateVolume(String name, long sizeBytes) {
        SimVolume v = newVolume(name, VolumeSpec.builder().sizeBytes(sizeBytes).build());
        return v.id;
    }

    /** A host's simulated mount table. */
    public synchronized List<MountEntry> mountsOf(String host) {
        return List.copyOf(hostState(host(host)).mounts);
    }

    /** Number of volumes the back end holds. */
    public synchronized int volumeCount() {
        return volumes.size();
    }

    @Override
    public void close() {
        for (LibStorage ls : opened) {
            try {
                ls.close();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        opened.clear();
        if (ownsWorkDir) {
            deleteTree(workDir);
        }
    }

    // ------------------------------------------------------------------ model (package-private)

    static final class SimDisk {
        ProbeResult signature;
        int formatCount;
        final Path dataDir;

        SimDisk(Path dataDir) {
            this.dataDir = dataDir;
        }
    }

    static final class SimVolume {
        final VolumeId id;
        final String name;
        final VolumeSpec spec;
        long allocated;
        final Instant createdAt;
        final Map<HostId, Instant> mappings = new LinkedHashMap<>();
        final SimDisk disk;
        final int minor;

        SimVolume(VolumeId id, String name, VolumeSpec spec, long allocated, Instant createdAt, SimDisk disk, int minor) {
            this.id = id;
            this.name = name;
            this.spec = spec;
            this.allocated = allocated;
            this.createdAt = createdAt;
            this.disk = disk;
            this.minor = minor;
        }
    }

    record SimSnapshot(SnapshotId id, String name, VolumeId source, long size, Instant createdAt, ProbeResult signature, Path dataDir) {
    }

    static final class SimHost {
        final HostId id;
        boolean alive = true;
        boolean partitioned;
        Instant disconnectedSince;
        int boot = 1;
        final List<MountEntry> mounts = new ArrayList<>();
        int nextMountId = 100;

        SimHost(HostId id) {
            this.id = id;
        }

        boolean connected() {
            return alive && !partitioned;
        }
    }

    Clock clock() {
        return clock;
    }

    Set<Feature> features() {
        return Set.copyOf(features);
    }

    SimHost hostState(HostId id) {
        return hosts.computeIfAbsent(id, SimHost::new);
    }

    Optional<SimVolume> volumeNamed(String name) {
        return volumes.values().stream().filter(v -> v.name.equals(name)).findFirst();
    }

    List<SimVolume> volumesNamed(String name) {
        return volumes.values().stream().filter(v -> v.name.equals(name)).toList();
    }

    Optional<SimVolume> volume(VolumeId id) {
        return Optional.ofNullable(volumes.get(id.value()));
    }

    Optional<SimVolume> volumeByMinor(int minor) {
        return volumes.values().stream().filter(v -> v.minor == minor).findFirst();
    }

    Volume view(SimVolume v) {
        List<Attachment> atts = new ArrayList<>();
        v.mappings.forEach((h, at) -> atts.add(new Attachment(v.id, h, v.id.value(), AttachmentState.ATTACHED, at)));
        return new Volume(v.id, v.name, v.spec, v.allocated, atts, Map.of("minor", String.valueOf(v.minor)), v.createdAt, "memory");
    }

    List<Volume> listVolumes() {
        return volumes.values().stream().map(this::view).toList();
    }

    Volume create(String name, VolumeSpec spec, ErrorContext ctx) {
        VolumeNames.requireValid(name, ctx);
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        List<SimVolume> existing = volumesNamed(name);
        if (!existing.isEmpty()) {
            List<String> conflicts = SpecCompatibility.conflicts(existing.get(0).spec, spec);
            if (!conflicts.isEmpty()) {
                throw new VolumeSpecConflictException(ctx, String.join("; ", conflicts));
            }
            return view(existing.get(0));
        }
        SimVolume v = newVolume(name, spec);
        spec.sourceSnapshot().ifPresent(sid -> {
            SimSnapshot s = snapshots.get(sid.value());
            if (s == null) {
                volumes.remove(v.id.value());
                throw new VolumeNotFoundException(ctx, "source snapshot " + sid + " does not exist");
            }
            v.disk.signature = s.signature();
            copyTree(s.dataDir(), v.disk.dataDir);
        });
        calls.mutation();
        return view(v);
    }

    private SimVolume newVolume(String name, VolumeSpec spec) {
        VolumeId id = new VolumeId("mem-" + UUID.randomUUID());
        Path data = workDir.resolve("disks").resolve(id.value());
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SimVolume v = new SimVolume(id, name, spec, ByteSizes.roundUp(spec.sizeBytes(), granularity), clock.instant(),
                new SimDisk(data), minors.incrementAndGet());
        volumes.put(id.value(), v);
        return v;
    }

    /** The context with the volume named by its name and id, as users know it by name. */
    private static ErrorContext named(ErrorContext ctx, SimVolume v) {
        return ctx.withVolume(v.name + " (" + v.id + ")");
    }

    AttachResult attach(VolumeId id, HostId target, AttachOptions options, ErrorContext plain) {
        SimVolume v = volume(id).orElseThrow(() -> new VolumeNotFoundException(plain));
        ErrorContext ctx = named(plain, v);
        Volume view = view(v);
        boolean single = !v.spec.accessMode().allowsMultipleHosts();
        if (v.mappings.containsKey(target)) {
            if (single && v.mappings.size() > 1) {
                throw new UnsafeMultiMappingException(ctx, "single-writer volume is mapped to " + v.mappings.keySet());
            }
            return new AttachResult(view, view.attachmentTo(target).orElseThrow(), Optional.empty(), false);
        }
        if (single && v.mappings.size() > 1) {
            throw new UnsafeMultiMappingException(ctx, "single-writer volume is mapped to " + v.mappings.keySet());
        }
        List<Preemption> preemptions = Preemptions.authorize(ctx, view, target, options, this::evidence, ownerGracePeriod, clock);
        for (Preemption p : preemptions) {
            fence(v, p.from(), ctx);
        }
        v.mappings.put(target, clock.instant());
        calls.mutation();
        Volume after = view(v);
        return new AttachResult(after, after.attachmentTo(target).orElseThrow(),
                preemptions.stream().findFirst(), true);
    }

    /** Fence: unmap the owner, then re-read to verify before anything is mapped to the new host. */
    private void fence(SimVolume v, HostId owner, ErrorContext ctx) {
        try {
            unmap(v, owner);
        } catch (RuntimeException e) {
            throw new FencingUnavailableException(ctx, "unmapping the volume from " + owner + " failed: " + e.getMessage(), e);
        }
        if (v.mappings.containsKey(owner)) {
            throw new FencingUnavailableException(ctx, "the unmap from " + owner
                    + " was acknowledged but the storage system still maps the volume there", null);
        }
    }

    private void unmap(SimVolume v, HostId host) {
        if (faults.unmapFails()) {
            throw new io.libstorage.api.BackendUnavailableException(ErrorContext.of("unmap", v.name, host.value(), "memory"),
                    "the storage system did not complete the unmap (injected)", true, null);
        }
        if (!faults.unmapsLost() && v.mappings.remove(host) != null) {
            calls.mutation();
        }
    }

    /**
     * Refuses to pull a device from under a filesystem {@code host} has mounted, as a real driver
     * does with what it sees in its own host's mount table.
     */
    void refuseIfMountedOn(VolumeId id, HostId host, ErrorContext ctx) {
        Optional<SimVolume> v = volume(id);
        if (v.isEmpty()) {
            return;
        }
        List<Path> at = hostState(host).mounts.stream().filter(m -> m.major() == DEVICE_MAJOR && m.minor() == v.get().minor)
                .map(MountEntry::mountPoint).toList();
        if (!at.isEmpty()) {
            throw new VolumeInUseException(named(ctx, v.get()), "its device is mounted on host " + host + " at " + at
                    + "; unmount it first (a device is never pulled from under a mounted filesystem)");
        }
    }

    void detach(VolumeId id, HostId host, DetachOptions options, ErrorContext ctx) {
        Optional<SimVolume> v = volume(id);
        if (v.isEmpty() || !v.get().mappings.containsKey(host)) {
            return;
        }
        unmap(v.get(), host);
    }

    void remove(VolumeId id, RemoveOptions options, ErrorContext ctx) {
        Optional<SimVolume> v = volume(id);
        if (v.isEmpty()) {
            if (options.strict()) {
                throw new VolumeNotFoundException(ctx);
            }
            return;
        }
        if (!v.get().mappings.isEmpty()) {
            if (!options.force()) {
                throw new VolumeInUseException(named(ctx, v.get()), "attached to " + v.get().mappings.keySet());
            }
            for (HostId h : List.copyOf(v.get().mappings.keySet())) {
                unmap(v.get(), h);
            }
        }
        volumes.remove(id.value());
        deleteTree(v.get().disk.dataDir);
        calls.mutation();
    }

    OwnerEvidence evidence(HostId host) {
        SimHost h = hostState(host);
        return h.connected() ? new OwnerEvidence(host, Liveness.CONNECTED, null, "memory:connection")
                : new OwnerEvidence(host, Liveness.DISCONNECTED, h.disconnectedSince, "memory:connection");
    }

    Snapshot snapshot(VolumeId id, String name, ErrorContext ctx) {
        SimVolume v = volume(id).orElseThrow(() -> new VolumeNotFoundException(ctx));
        for (SimSnapshot s : snapshots.values()) {
            if (s.source().equals(id) && s.name().equals(name)) {
                return new Snapshot(s.id(), s.name(), s.source(), s.size(), s.createdAt());
            }
        }
        SnapshotId sid = new SnapshotId("snap-" + UUID.randomUUID());
        Path dir = workDir.resolve("snapshots").resolve(sid.value());
        copyTree(v.disk.dataDir, dir);
        SimSnapshot s = new SimSnapshot(sid, name, id, v.allocated, clock.instant(), v.disk.signature, dir);
        snapshots.put(sid.value(), s);
        calls.mutation();
        return new Snapshot(sid, name, id, s.size(), s.createdAt());
    }

    List<Snapshot> snapshotsOf(VolumeId id) {
        return snapshots.values().stream().filter(s -> s.source().equals(id))
                .map(s -> new Snapshot(s.id(), s.name(), s.source(), s.size(), s.createdAt())).toList();
    }

    void removeSnapshot(SnapshotId id) {
        SimSnapshot s = snapshots.remove(id.value());
        if (s != null) {
            deleteTree(s.dataDir());
            calls.mutation();
        }
    }

    Volume grow(VolumeId id, long newSize, ErrorContext plain) {
        SimVolume v = volume(id).orElseThrow(() -> new VolumeNotFoundException(plain));
        ErrorContext ctx = named(plain, v);
        ByteSizes.requireVolumeSize(newSize, ctx);
        long target = ByteSizes.roundUp(newSize, granularity);
        if (target > v.allocated) {
            v.allocated = target;
            calls.mutation();
        }
        return view(v);
    }

    Path deviceNode(SimVolume v) {
        return Path.of("/dev/memvol", v.id.value());
    }

    int nextMountId(SimHost h) {
        return h.nextMountId++;
    }

    void recordCall(HostId host, Enum<?> op) {
        calls.record(host, op);
    }

    static void copyTree(Path from, Path to) {
        try {
            Files.createDirectories(to);
            if (!Files.isDirectory(from)) {
                return;
            }
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void clearTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(InMemoryCluster::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        try {
            TempDirectories.deleteTree(root);
        } catch (IOException e) {
            // best effort for temporary data
        }
    }
}
