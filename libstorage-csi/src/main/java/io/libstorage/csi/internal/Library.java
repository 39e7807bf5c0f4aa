package io.libstorage.csi.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.BindState;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.internal.Model.NewVolume;
import io.libstorage.csi.internal.Model.Sharing;
import io.libstorage.csi.internal.Model.SnapshotInfo;
import io.libstorage.csi.internal.Model.Takeover;
import io.libstorage.csi.internal.Model.VolumeInfo;
import io.libstorage.spi.support.SystemProcessRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that speaks the library's API: the CSI services call this in their own terms
 * ({@link Model}). Every method is as idempotent as the library call behind it.
 */
final class Library {
    private static final String CONSUMER_PREFIX = "csi:";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final LibStorage storage;

    Library(LibStorage storage) {
        this.storage = storage;
    }

    // ------------------------------------------------------------ facts

    String backend() {
        return storage.backend();
    }

    String localNode() {
        return storage.localHost().value();
    }

    /** Volumes can be attached to other nodes than this one (ScaleIO); otherwise they are local to this node (localfs). */
    boolean attachesRemotely() {
        return has(Feature.REMOTE_ATTACH);
    }

    boolean takesSnapshots() {
        return has(Feature.SNAPSHOTS);
    }

    boolean createsFromSnapshot() {
        return has(Feature.CREATE_FROM_SNAPSHOT);
    }

    boolean grows() {
        return has(Feature.GROW);
    }

    boolean multiNode() {
        return has(Feature.MULTI_HOST_ACCESS);
    }

    private boolean has(Feature f) {
        return storage.features().contains(f);
    }

    /** What new volumes can still take on the back end; empty when it does not say. */
    OptionalLong availableCapacity() {
        return storage.availableCapacityBytes();
    }

    long defaultSizeBytes() {
        return storage.defaultSpec().sizeBytes();
    }

    String defaultFsType() {
        return storage.defaultSpec().fsType().orElse(VolumeSpec.DEFAULT_FS_TYPE);
    }

    Set<String> filesystems() {
        return storage.supportedFilesystems();
    }

    /** Asks the back end for its volumes: a failure means the plugin is not ready. */
    void probe() {
        storage.localHost();
        storage.list();
    }

    // ------------------------------------------------------------ controller

    Optional<VolumeInfo> volume(String id) {
        return storage.inspectById(VolumeId.of(id)).map(Library::info);
    }

    Optional<VolumeInfo> volumeNamed(String name) {
        return storage.inspect(name).map(VolumeStatus::volume).map(Library::info);
    }

    List<VolumeInfo> volumes() {
        return storage.list().stream().map(VolumeStatus::volume).map(Library::info).toList();
    }

    VolumeInfo create(NewVolume v) {
        VolumeSpec.Builder spec = storage.defaultSpec().toBuilder()
                .sizeBytes(v.sizeBytes())
                .accessMode(accessMode(v.sharing()))
                .labels(v.labels())
                .driverOptions(v.driverOptions());
        if (v.fsType() != null) {
            spec.fsType(v.fsType());
        }
        if (v.sourceSnapshotId() != null) {
            spec.sourceSnapshot(SnapshotId.of(v.sourceSnapshotId()));
        }
        return info(storage.create(v.name(), spec.build()));
    }

    void delete(VolumeInfo v) {
        storage.remove(v.name(), RemoveOptions.DEFAULT);
    }

    /** Attaches to {@code node} and returns the publish context. */
    Map<String, String> attach(String volumeId, String node, Takeover takeover) {
        Attachment a = storage.attach(VolumeId.of(volumeId), HostId.of(node), new AttachOptions(policy(takeover), Set.of()));
        return Map.of("node", a.hostId().value(), "deviceToken", a.deviceToken());
    }

    void detach(String volumeId, String node) {
        storage.detach(VolumeId.of(volumeId), HostId.of(node), DetachOptions.DEFAULT);
    }

    List<SnapshotInfo> snapshots() {
        return storage.snapshots().stream().map(Library::info).toList();
    }

    List<SnapshotInfo> snapshotsOf(String volumeId) {
        return storage.snapshots(VolumeId.of(volumeId)).stream().map(Library::info).toList();
    }

    /** Takes a snapshot through the library, which freezes the filesystem where it is mounted on this node. */
    SnapshotInfo snapshot(VolumeInfo v, String name) {
        return info(storage.snapshot(v.name(), name));
    }

    void deleteSnapshot(String snapshotId) {
        storage.removeSnapshot(SnapshotId.of(snapshotId));
    }

    /** Grows the volume, and its filesystem where it is attached to this node (see {@link LibStorage#grow}). */
    VolumeInfo grow(VolumeInfo v, long bytes) {
        return info(storage.grow(v.name(), bytes).volume());
    }

    // ------------------------------------------------------------ node

    /** Adds {@code consumer} to the volume's durable consumers on this node: attach, format if blank, mount once. */
    Path mount(String name, String consumer, String fsType, List<String> mountFlags, Takeover takeover) {
        MountOptions.Builder r = MountOptions.builder().createIfMissing(false).preemption(policy(takeover));
        if (fsType != null && !fsType.isEmpty()) {
            r.fsType(fsType);
        }
        mountFlags.forEach(r::mountOption);
        return storage.mount(name, consumer(consumer), r.build()).path();
    }

    /** Removes {@code consumer}; the last one out unmounts and detaches. */
    void unmount(String name, String consumer) {
        storage.unmount(name, consumer(consumer));
    }

    /** This node's CSI consumers of the volume (staging and target paths, with their kind prefix). */
    Set<String> consumers(String name) {
        return storage.inspect(name).map(VolumeStatus::consumers).orElse(Set.of()).stream()
                .map(ConsumerId::value)
                .filter(c -> c.startsWith(CONSUMER_PREFIX))
                .map(c -> c.substring(CONSUMER_PREFIX.length()))
                .collect(Collectors.toSet());
    }

    /** What is wrong with this node's record of the volume, if anything. */
    Optional<String> problem(String name) {
        return storage.inspect(name).flatMap(VolumeStatus::problem);
    }

    /** Attaches to this node without formatting or mounting; the library waits for the block device. */
    void attachHere(String name, Takeover takeover) {
        storage.attach(name, new AttachOptions(policy(takeover), Set.of()));
    }

    /** Detaches from this node unless CSI consumers still hold it mounted. */
    void detachHere(String name) {
        storage.detach(name, DetachOptions.DEFAULT);
    }

    /** The block device of the volume on this node, if attached here. */
    Optional<Path> deviceHere(VolumeInfo v) {
        return storage.device(v.name());
    }

    boolean attachedHere(String volumeId) {
        return storage.inspectById(VolumeId.of(volumeId)).flatMap(v -> v.attachmentTo(storage.localHost())).isPresent();
    }

    /**
     * Grows the filesystem of the volume on this node to fill its device: a grow to the size the volume has already
     * changes no storage, and grows the filesystem where the volume is attached here (see {@link LibStorage#grow}).
     */
    void growFilesystem(VolumeInfo v) {
        storage.grow(v.name(), v.capacityBytes());
    }

    // ------------------------------------------------------------ bind mounts of this node

    BindState bindState(Path source, Path target) {
        return storage.bindState(source, target);
    }

    /** Whether anything is mounted (or bound) at {@code target}. */
    boolean mounted(Path target) {
        return storage.mountedAt(target);
    }

    void bind(Path source, Path target, boolean readOnly, String volume) {
        storage.bind(volume, source, target, readOnly);
    }

    void unbind(Path target, String volume) {
        storage.unbind(volume, target);
    }

    /** Whether anyone (a CSI path or another front end) holds the volume on this node. */
    boolean held(String name) {
        return storage.inspect(name).map(s -> !s.consumers().isEmpty()).orElse(false);
    }

    /** Runs a command (argument list, deadline) and returns its standard output; a non-zero exit is an error naming it. */
    String run(String operation, String volume, List<String> command) {
        ErrorContext ctx = context(operation, volume);
        return SystemProcessRunner.instance().run(ctx, command, COMMAND_TIMEOUT).requireSuccess(ctx).stdout();
    }

    ErrorContext context(String operation, String volume) {
        return storage.errorContext(operation, volume);
    }

    // ------------------------------------------------------------ mapping

    private static ConsumerId consumer(String csiConsumer) {
        return ConsumerId.of(CONSUMER_PREFIX + csiConsumer);
    }

    private static PreemptionPolicy policy(Takeover t) {
        return PreemptionPolicy.valueOf(t.name());
    }

    private static AccessMode accessMode(Sharing s) {
        switch (s) {
            case MULTI_NODE_READ_ONLY:
                return AccessMode.MULTI_HOST_READ_ONLY;
            case MULTI_NODE_MULTI_WRITER:
                return AccessMode.MULTI_HOST_CLUSTER;
            default:
                return AccessMode.SINGLE_HOST_READ_WRITE;
        }
    }

    private static Sharing sharing(AccessMode m) {
        switch (m) {
            case MULTI_HOST_READ_ONLY:
                return Sharing.MULTI_NODE_READ_ONLY;
            case MULTI_HOST_CLUSTER:
                return Sharing.MULTI_NODE_MULTI_WRITER;
            default:
                return Sharing.SINGLE_NODE;
        }
    }

    private static VolumeInfo info(Volume v) {
        return new VolumeInfo(v.id().value(), v.name(), Math.max(v.allocatedSizeBytes(), v.requestedSizeBytes()),
                v.spec().fsType().orElse(null), sharing(v.spec().accessMode()),
                v.attachments().stream().map(a -> a.hostId().value()).distinct().toList(),
                v.spec().sourceSnapshot().map(SnapshotId::value).orElse(null));
    }

    private static SnapshotInfo info(Snapshot s) {
        return new SnapshotInfo(s.id().value(), s.name(), s.sourceVolume().value(), s.sizeBytes(), s.createdAt());
    }
}
