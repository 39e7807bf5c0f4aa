package io.libstorage.inmemory;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.FencingUnavailableException;
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
import io.libstorage.api.VolumeStatus;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.inmemory.Model.SimDisk;
import io.libstorage.inmemory.Model.SimHost;
import io.libstorage.inmemory.Model.SimSnapshot;
import io.libstorage.inmemory.Model.SimVolume;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.support.SpecCompatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated storage system's control plane: volumes, their mappings to hosts, snapshots, and what it
 * knows of each host's connection. The drivers of every host call it while holding its monitor, so its
 * state changes are serialised as a real control plane's are; {@link InMemoryCluster} reads it the same way.
 */
final class Backend {
    private final Path workDir;
    private final Faults faults = new Faults();
    private final CallCounts calls = new CallCounts();
    private final Map<String, SimVolume> volumes = new LinkedHashMap<>();
    private final Map<String, SimSnapshot> snapshots = new LinkedHashMap<>();
    private final Map<HostId, SimHost> hosts = new ConcurrentHashMap<>();
    private final AtomicInteger minors = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();
    private volatile long granularity = ByteSizes.MIB;
    private volatile Duration ownerGracePeriod = Duration.ZERO;
    private final Set<Feature> features = EnumSet.of(Feature.SNAPSHOTS, Feature.CREATE_FROM_SNAPSHOT, Feature.GROW,
            Feature.REMOTE_ATTACH, Feature.OWNER_LIVENESS, Feature.MULTI_HOST_ACCESS, Feature.KEEPS_SPEC);

    Backend(Path workDir) {
        this.workDir = workDir;
    }

    // ------------------------------------------------------------------ settings

    Faults faults() {
        return faults;
    }

    CallCounts calls() {
        return calls;
    }

    Clock clock() {
        return clock;
    }

    void granularity(long bytes) {
        this.granularity = bytes;
    }

    void ownerGracePeriod(Duration grace) {
        this.ownerGracePeriod = grace;
    }

    synchronized Set<Feature> features() {
        return Set.copyOf(features);
    }

    synchronized void disable(Feature feature) {
        features.remove(feature);
    }

    void recordCall(HostId host, Enum<?> op) {
        calls.record(host, op);
    }

    // ------------------------------------------------------------------ lookups

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

    int volumeCount() {
        return volumes.size();
    }

    Volume view(SimVolume v) {
        List<Attachment> atts = new ArrayList<>();
        v.mappings.forEach((h, at) -> atts.add(new Attachment(v.id, h, v.id.value(), AttachmentState.ATTACHED, at)));
        if (!features().contains(Feature.KEEPS_SPEC)) {
            // like a back end that keeps only a name and an allocation (ScaleIO): the rest is not known here
            VolumeSpec placeholders = VolumeSpec.builder().sizeBytes(v.allocated).fsType(Optional.empty())
                    .sourceSnapshot(v.spec.sourceSnapshot().orElse(null)).build();
            return new Volume(v.id, v.name, placeholders, v.allocated, atts, Map.of("minor", String.valueOf(v.minor),
                    Volume.UNKNOWN_FIELD, VolumeStatus.REQUESTED_SIZE + "," + VolumeStatus.FS_TYPE), v.createdAt, "memory");
        }
        return new Volume(v.id, v.name, v.spec, v.allocated, atts, Map.of("minor", String.valueOf(v.minor)), v.createdAt, "memory");
    }

    List<Volume> listVolumes() {
        return volumes.values().stream().map(this::view).toList();
    }

    /** Where a host sees a volume's device while it is mapped there. */
    static Path deviceNode(SimVolume v) {
        return Path.of("/dev/memvol", v.id.value());
    }

    // ------------------------------------------------------------------ control-plane operations

    Volume create(String name, VolumeSpec spec, ErrorContext ctx) {
        VolumeNames.requireValid(name, ctx);
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        List<SimVolume> existing = volumesNamed(name);
        if (!existing.isEmpty()) {
            if (features().contains(Feature.KEEPS_SPEC)) {
                SpecCompatibility.requireCompatible(ctx, existing.get(0).spec, spec);
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
            DataDirs.copy(s.dataDir(), v.disk.dataDir);
        });
        calls.mutation();
        return view(v);
    }

    /** A new volume with its empty disk, whatever other volumes have that name. */
    SimVolume newVolume(String name, VolumeSpec spec) {
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

    /**
     * Maps {@code v} to {@code target}; {@code exclusive} refuses (returns false) while another host
     * holds it. The takeover primitive of the simulated back end (the caller holds this backend's lock).
     */
    boolean map(SimVolume v, HostId target, boolean exclusive) {
        if (v.mappings.containsKey(target)) {
            return true;
        }
        if (exclusive && !v.mappings.isEmpty()) {
            return false;
        }
        v.mappings.put(target, clock.instant());
        calls.mutation();
        return true;
    }

    Duration ownerGracePeriod() {
        return ownerGracePeriod;
    }

    void unmap(SimVolume v, HostId host) {
        if (faults.unmapFails()) {
            throw new BackendUnavailableException(ErrorContext.of("unmap", v.name, host.value(), "memory"),
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
        List<Path> at = hostState(host).mounts.stream()
                .filter(m -> m.major() == Model.DEVICE_MAJOR && m.minor() == v.get().minor)
                .map(MountEntry::mountPoint).toList();
        if (!at.isEmpty()) {
            throw new VolumeInUseException(named(ctx, v.get()), "its device is mounted on host " + host + " at " + at
                    + "; unmount it first (a device is never pulled from under a mounted filesystem)");
        }
    }

    void detach(VolumeId id, HostId host) {
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
        DataDirs.delete(v.get().disk.dataDir);
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
        DataDirs.copy(v.disk.dataDir, dir);
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
            DataDirs.delete(s.dataDir());
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
}
