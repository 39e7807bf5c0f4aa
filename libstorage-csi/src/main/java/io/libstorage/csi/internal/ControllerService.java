package io.libstorage.csi.internal;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.libstorage.csi.internal.Model.NewVolume;
import io.libstorage.csi.internal.Model.SnapshotInfo;
import io.libstorage.csi.internal.Model.Takeover;
import io.libstorage.csi.internal.Model.VolumeInfo;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerExpandVolumeRequest;
import io.libstorage.csi.proto.ControllerExpandVolumeResponse;
import io.libstorage.csi.proto.ControllerGetCapabilitiesRequest;
import io.libstorage.csi.proto.ControllerGetCapabilitiesResponse;
import io.libstorage.csi.proto.ControllerGrpc;
import io.libstorage.csi.proto.ControllerPublishVolumeRequest;
import io.libstorage.csi.proto.ControllerPublishVolumeResponse;
import io.libstorage.csi.proto.ControllerServiceCapability;
import io.libstorage.csi.proto.ControllerUnpublishVolumeRequest;
import io.libstorage.csi.proto.ControllerUnpublishVolumeResponse;
import io.libstorage.csi.proto.CreateSnapshotRequest;
import io.libstorage.csi.proto.CreateSnapshotResponse;
import io.libstorage.csi.proto.CreateVolumeRequest;
import io.libstorage.csi.proto.CreateVolumeResponse;
import io.libstorage.csi.proto.DeleteSnapshotRequest;
import io.libstorage.csi.proto.DeleteSnapshotResponse;
import io.libstorage.csi.proto.DeleteVolumeRequest;
import io.libstorage.csi.proto.DeleteVolumeResponse;
import io.libstorage.csi.proto.GetCapacityRequest;
import io.libstorage.csi.proto.GetCapacityResponse;
import io.libstorage.csi.proto.ListSnapshotsRequest;
import io.libstorage.csi.proto.ListSnapshotsResponse;
import io.libstorage.csi.proto.ListVolumesRequest;
import io.libstorage.csi.proto.ListVolumesResponse;
import io.libstorage.csi.proto.Snapshot;
import io.libstorage.csi.proto.Topology;
import io.libstorage.csi.proto.ValidateVolumeCapabilitiesRequest;
import io.libstorage.csi.proto.ValidateVolumeCapabilitiesResponse;
import io.libstorage.csi.proto.Volume;
import io.libstorage.csi.proto.VolumeCapability;
import io.libstorage.csi.proto.VolumeContentSource;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CSI Controller: volumes and snapshots on the back end, and attaching them to nodes. Volume ids are
 * the back end's; CreateVolume is keyed by name (the library never makes two volumes of one name).
 */
final class ControllerService extends ControllerGrpc.ControllerImplBase {
    /** Volume context and parameter key of the per-call takeover policy: NEVER, IF_OWNER_UNREACHABLE, ALWAYS. */
    static final String PREEMPTION = "preemption";
    /** Parameter key of the filesystem, for orchestrators that cannot say it in the capability. */
    static final String FS_TYPE = "fsType";
    /** Parameters the orchestrator adds for its own use (Kubernetes' external-provisioner). */
    private static final String ORCHESTRATOR_PREFIX = "csi.storage.k8s.io/";

    private final Library library;
    private final Calls calls;

    ControllerService(Library library, Calls calls) {
        this.library = library;
        this.calls = calls;
    }

    // ------------------------------------------------------------ volumes

    @Override
    public void createVolume(CreateVolumeRequest r, StreamObserver<CreateVolumeResponse> out) {
        calls.runFor("CreateVolume", "volume name", r.getName(), r, out, () -> {
            if (r.getName().isEmpty()) {
                throw CsiError.invalid("name is missing");
            }
            if (r.getVolumeCapabilitiesCount() == 0) {
                throw CsiError.invalid("volume_capabilities is missing");
            }
            for (VolumeCapability c : r.getVolumeCapabilitiesList()) {
                Capabilities.requireWellFormed(c, "volume_capabilities");
                String why = Capabilities.unsupported(c, library);
                if (why != null) {
                    throw CsiError.invalid(why);
                }
            }
            if (r.hasVolumeContentSource() && r.getVolumeContentSource().hasVolume()) {
                throw CsiError.invalid("cloning from another volume is not offered (CLONE_VOLUME is not advertised); clone from a snapshot");
            }
            Map<String, String> context = new LinkedHashMap<>();
            Map<String, String> driverOptions = new LinkedHashMap<>();
            String fsType = fsType(r.getVolumeCapabilitiesList());
            for (Map.Entry<String, String> p : r.getParametersMap().entrySet()) {
                if (p.getKey().equals(PREEMPTION)) {
                    takeover(p.getValue(), "parameter " + PREEMPTION);
                    context.put(PREEMPTION, p.getValue());
                } else if (p.getKey().equals(FS_TYPE)) {
                    fsType = fsType == null ? p.getValue() : fsType;
                } else if (!p.getKey().startsWith(ORCHESTRATOR_PREFIX)) {
                    driverOptions.put(p.getKey(), p.getValue());
                }
            }
            long size = size(r.hasCapacityRange() ? r.getCapacityRange() : CapacityRange.getDefaultInstance());
            String source = snapshotSource(r);
            Optional<VolumeInfo> existing = library.volumeNamed(r.getName());
            VolumeInfo v;
            if (existing.isPresent()) {
                v = existing.get();
                requireSame(v, r, source);
            } else {
                v = library.create(new NewVolume(r.getName(), size, fsType, Capabilities.sharing(r.getVolumeCapabilitiesList()),
                        source, driverOptions, Map.of()));
                long limit = r.getCapacityRange().getLimitBytes();
                if (limit > 0 && v.capacityBytes() > limit) {
                    library.delete(v);
                    throw CsiError.outOfRange("the " + library.backend() + " back end allocates " + v.capacityBytes()
                            + " bytes for " + size + " requested, more than limit_bytes " + limit);
                }
            }
            context.put("name", v.name());
            return CreateVolumeResponse.newBuilder().setVolume(volume(v, context, r.getVolumeContentSource())).build();
        });
    }

    private void requireSame(VolumeInfo v, CreateVolumeRequest r, String source) {
        CapacityRange range = r.getCapacityRange();
        if (v.capacityBytes() < range.getRequiredBytes() || (range.getLimitBytes() > 0 && v.capacityBytes() > range.getLimitBytes())) {
            throw CsiError.alreadyExists("volume '" + v.name() + "' exists with " + v.capacityBytes()
                    + " bytes, outside the requested capacity range [" + range.getRequiredBytes() + ", "
                    + (range.getLimitBytes() > 0 ? range.getLimitBytes() : "unlimited") + "]");
        }
        if (source != null && !source.equals(v.sourceSnapshotId())) {
            throw CsiError.alreadyExists("volume '" + v.name() + "' exists and was not created from snapshot " + source);
        }
        for (VolumeCapability c : r.getVolumeCapabilitiesList()) {
            String why = Capabilities.mismatch(v, c);
            if (why != null) {
                throw CsiError.alreadyExists(why);
            }
        }
    }

    private String snapshotSource(CreateVolumeRequest r) {
        if (!r.hasVolumeContentSource() || !r.getVolumeContentSource().hasSnapshot()) {
            return null;
        }
        String id = r.getVolumeContentSource().getSnapshot().getSnapshotId();
        if (id.isEmpty()) {
            throw CsiError.invalid("volume_content_source.snapshot.snapshot_id is missing");
        }
        if (!library.createsFromSnapshot()) {
            throw CsiError.invalid("the " + library.backend() + " back end cannot create a volume from a snapshot");
        }
        if (library.snapshots().stream().noneMatch(s -> s.id().equals(id))) {
            throw CsiError.notFound("snapshot '" + id + "' does not exist");
        }
        return id;
    }

    private long size(CapacityRange range) {
        long required = range.getRequiredBytes();
        long limit = range.getLimitBytes();
        if (required < 0 || limit < 0) {
            throw CsiError.outOfRange("capacity_range must not be negative");
        }
        if (limit > 0 && required > limit) {
            throw CsiError.outOfRange("required_bytes " + required + " exceeds limit_bytes " + limit);
        }
        if (required > 0) {
            return required;
        }
        long fallback = library.defaultSizeBytes();
        return limit > 0 ? Math.min(limit, fallback) : fallback;
    }

    private static String fsType(List<VolumeCapability> capabilities) {
        for (VolumeCapability c : capabilities) {
            if (c.hasMount() && !c.getMount().getFsType().isEmpty()) {
                return c.getMount().getFsType();
            }
        }
        return null;
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest r, StreamObserver<DeleteVolumeResponse> out) {
        calls.runFor("DeleteVolume", "volume", r.getVolumeId(), r, out, () -> {
            requireId(r.getVolumeId());
            library.volume(r.getVolumeId()).ifPresent(library::delete);
            return DeleteVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void controllerPublishVolume(ControllerPublishVolumeRequest r, StreamObserver<ControllerPublishVolumeResponse> out) {
        calls.runFor("ControllerPublishVolume", "volume", r.getVolumeId(), r, out, () -> {
            requireId(r.getVolumeId());
            if (r.getNodeId().isEmpty()) {
                throw CsiError.invalid("node_id is missing");
            }
            if (!r.hasVolumeCapability()) {
                throw CsiError.invalid("volume_capability is missing");
            }
            Capabilities.requireWellFormed(r.getVolumeCapability(), "volume_capability");
            VolumeInfo v = existing(r.getVolumeId());
            requireReachable(r.getNodeId());
            String why = Capabilities.mismatch(v, r.getVolumeCapability());
            if (why != null) {
                throw CsiError.alreadyExists(why);
            }
            Takeover t = takeover(r.getVolumeContextMap().get(PREEMPTION), "volume_context " + PREEMPTION);
            return ControllerPublishVolumeResponse.newBuilder()
                    .putAllPublishContext(library.attach(v.id(), r.getNodeId(), t))
                    .build();
        });
    }

    @Override
    public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r, StreamObserver<ControllerUnpublishVolumeResponse> out) {
        calls.runFor("ControllerUnpublishVolume", "volume", r.getVolumeId(), r, out, () -> {
            requireId(r.getVolumeId());
            Optional<VolumeInfo> v = library.volume(r.getVolumeId());
            if (v.isPresent()) {
                List<String> nodes = r.getNodeId().isEmpty() ? v.get().attachedNodes() : List.of(r.getNodeId());
                for (String node : nodes) {
                    if (v.get().attachedNodes().contains(node)) {
                        library.detach(v.get().id(), node);
                    }
                }
            }
            return ControllerUnpublishVolumeResponse.getDefaultInstance();
        });
    }

    private void requireReachable(String node) {
        if (!library.attachesRemotely() && !node.equals(library.localNode())) {
            throw CsiError.notFound("node '" + node + "' is unknown here: " + library.backend() + " volumes are local to node '"
                    + library.localNode() + "'");
        }
    }

    @Override
    public void validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest r, StreamObserver<ValidateVolumeCapabilitiesResponse> out) {
        calls.run("ValidateVolumeCapabilities", r, out, () -> {
            requireId(r.getVolumeId());
            if (r.getVolumeCapabilitiesCount() == 0) {
                throw CsiError.invalid("volume_capabilities is missing");
            }
            r.getVolumeCapabilitiesList().forEach(c -> Capabilities.requireWellFormed(c, "volume_capabilities"));
            VolumeInfo v = existing(r.getVolumeId());
            for (VolumeCapability c : r.getVolumeCapabilitiesList()) {
                String why = Capabilities.unsupported(c, library);
                if (why == null) {
                    why = Capabilities.mismatch(v, c);
                }
                if (why != null) {
                    return ValidateVolumeCapabilitiesResponse.newBuilder().setMessage(why).build();
                }
            }
            return ValidateVolumeCapabilitiesResponse.newBuilder().setConfirmed(
                    ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                            .putAllVolumeContext(r.getVolumeContextMap())
                            .addAllVolumeCapabilities(r.getVolumeCapabilitiesList())
                            .putAllParameters(r.getParametersMap())
                            .putAllMutableParams(r.getMutableParamsMap()))
                    .build();
        });
    }

    @Override
    public void listVolumes(ListVolumesRequest r, StreamObserver<ListVolumesResponse> out) {
        calls.run("ListVolumes", r, out, () -> {
            List<VolumeInfo> all = library.volumes().stream().sorted(Comparator.comparing(VolumeInfo::id)).toList();
            Paging.Page<VolumeInfo> page = Paging.page(all, r.getMaxEntries(), r.getStartingToken());
            ListVolumesResponse.Builder b = ListVolumesResponse.newBuilder().setNextToken(page.nextToken());
            for (VolumeInfo v : page.entries()) {
                b.addEntries(ListVolumesResponse.Entry.newBuilder()
                        .setVolume(volume(v, Map.of("name", v.name()), null))
                        .setStatus(ListVolumesResponse.VolumeStatus.newBuilder().addAllPublishedNodeIds(v.attachedNodes())));
            }
            return b.build();
        });
    }

    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest r, StreamObserver<ControllerGetCapabilitiesResponse> out) {
        calls.run("ControllerGetCapabilities", r, out, () -> {
            ControllerGetCapabilitiesResponse.Builder b = ControllerGetCapabilitiesResponse.newBuilder();
            add(b, ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME);
            add(b, ControllerServiceCapability.RPC.Type.PUBLISH_UNPUBLISH_VOLUME);
            add(b, ControllerServiceCapability.RPC.Type.LIST_VOLUMES);
            add(b, ControllerServiceCapability.RPC.Type.LIST_VOLUMES_PUBLISHED_NODES);
            add(b, ControllerServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER);
            if (library.takesSnapshots()) {
                add(b, ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT);
                add(b, ControllerServiceCapability.RPC.Type.LIST_SNAPSHOTS);
            }
            if (library.grows()) {
                add(b, ControllerServiceCapability.RPC.Type.EXPAND_VOLUME);
            }
            if (library.availableCapacity().isPresent()) {
                add(b, ControllerServiceCapability.RPC.Type.GET_CAPACITY);
            }
            return b.build();
        });
    }

    /**
     * What new volumes can still take, where the back end knows it (GET_CAPACITY is advertised only then). For a
     * back end whose volumes are local to a node, a topology naming another node has no capacity here.
     */
    @Override
    public void getCapacity(GetCapacityRequest r, StreamObserver<GetCapacityResponse> out) {
        calls.run("GetCapacity", r, out, () -> {
            OptionalLong available = library.availableCapacity();
            if (available.isEmpty()) {
                throw CsiError.unimplemented("the " + library.backend() + " back end does not report its capacity");
            }
            String node = r.getAccessibleTopology().getSegmentsMap().get(PluginSettings.TOPOLOGY_KEY);
            boolean elsewhere = !library.attachesRemotely() && node != null && !node.equals(library.localNode());
            return GetCapacityResponse.newBuilder().setAvailableCapacity(elsewhere ? 0 : available.getAsLong()).build();
        });
    }

    private static void add(ControllerGetCapabilitiesResponse.Builder b, ControllerServiceCapability.RPC.Type type) {
        b.addCapabilities(ControllerServiceCapability.newBuilder().setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type)));
    }

    @Override
    public void controllerExpandVolume(ControllerExpandVolumeRequest r, StreamObserver<ControllerExpandVolumeResponse> out) {
        calls.runFor("ControllerExpandVolume", "volume", r.getVolumeId(), r, out, () -> {
            requireId(r.getVolumeId());
            if (!r.hasCapacityRange() || (r.getCapacityRange().getRequiredBytes() <= 0 && r.getCapacityRange().getLimitBytes() <= 0)) {
                throw CsiError.invalid("capacity_range is missing");
            }
            if (!library.grows()) {
                throw CsiError.unimplemented("the " + library.backend() + " back end cannot grow volumes");
            }
            VolumeInfo v = existing(r.getVolumeId());
            CapacityRange range = r.getCapacityRange();
            long wanted = range.getRequiredBytes() > 0 ? range.getRequiredBytes() : range.getLimitBytes();
            if (range.getLimitBytes() > 0 && (wanted > range.getLimitBytes() || v.capacityBytes() > range.getLimitBytes())) {
                throw CsiError.outOfRange("volume '" + v.name() + "' has " + v.capacityBytes() + " bytes; cannot fit limit_bytes "
                        + range.getLimitBytes());
            }
            VolumeInfo grown = v.capacityBytes() >= wanted ? v : library.grow(v, wanted);
            boolean block = r.hasVolumeCapability() && Capabilities.block(r.getVolumeCapability());
            return ControllerExpandVolumeResponse.newBuilder()
                    .setCapacityBytes(grown.capacityBytes())
                    .setNodeExpansionRequired(!block)
                    .build();
        });
    }

    // ------------------------------------------------------------ snapshots

    @Override
    public void createSnapshot(CreateSnapshotRequest r, StreamObserver<CreateSnapshotResponse> out) {
        calls.runFor("CreateSnapshot", "snapshot name", r.getName(), r, out, () -> {
            if (r.getName().isEmpty()) {
                throw CsiError.invalid("name is missing");
            }
            if (r.getSourceVolumeId().isEmpty()) {
                throw CsiError.invalid("source_volume_id is missing");
            }
            requireSnapshots();
            List<SnapshotInfo> all = library.snapshots();
            for (SnapshotInfo s : all) {
                if (s.name().equals(r.getName())) {
                    if (!s.sourceVolumeId().equals(r.getSourceVolumeId())) {
                        throw CsiError.alreadyExists("snapshot '" + r.getName() + "' exists for volume " + s.sourceVolumeId()
                                + ", not " + r.getSourceVolumeId());
                    }
                    return CreateSnapshotResponse.newBuilder().setSnapshot(snapshot(s)).build();
                }
            }
            VolumeInfo v = existing(r.getSourceVolumeId());
            return CreateSnapshotResponse.newBuilder().setSnapshot(snapshot(library.snapshot(v, r.getName()))).build();
        });
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest r, StreamObserver<DeleteSnapshotResponse> out) {
        calls.runFor("DeleteSnapshot", "snapshot", r.getSnapshotId(), r, out, () -> {
            if (r.getSnapshotId().isEmpty()) {
                throw CsiError.invalid("snapshot_id is missing");
            }
            requireSnapshots();
            if (library.snapshots().stream().anyMatch(s -> s.id().equals(r.getSnapshotId()))) {
                library.deleteSnapshot(r.getSnapshotId());
            }
            return DeleteSnapshotResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest r, StreamObserver<ListSnapshotsResponse> out) {
        calls.run("ListSnapshots", r, out, () -> {
            requireSnapshots();
            List<SnapshotInfo> all;
            if (!r.getSourceVolumeId().isEmpty()) {
                all = library.volume(r.getSourceVolumeId()).isPresent() ? library.snapshotsOf(r.getSourceVolumeId()) : List.of();
            } else {
                all = library.snapshots();
            }
            List<SnapshotInfo> sorted = all.stream()
                    .filter(s -> r.getSnapshotId().isEmpty() || s.id().equals(r.getSnapshotId()))
                    .sorted(Comparator.comparing(SnapshotInfo::id)).toList();
            Paging.Page<SnapshotInfo> page = Paging.page(sorted, r.getMaxEntries(), r.getStartingToken());
            ListSnapshotsResponse.Builder b = ListSnapshotsResponse.newBuilder().setNextToken(page.nextToken());
            page.entries().forEach(s -> b.addEntries(ListSnapshotsResponse.Entry.newBuilder().setSnapshot(snapshot(s))));
            return b.build();
        });
    }

    private void requireSnapshots() {
        if (!library.takesSnapshots()) {
            throw CsiError.unimplemented("the " + library.backend() + " back end does not take snapshots");
        }
    }

    // ------------------------------------------------------------ helpers

    private VolumeInfo existing(String id) {
        return library.volume(id).orElseThrow(() -> CsiError.notFound("volume '" + id + "' does not exist"));
    }

    static void requireId(String volumeId) {
        if (volumeId.isEmpty()) {
            throw CsiError.invalid("volume_id is missing");
        }
    }

    /** The policy named by {@code text}; NEVER when absent. */
    static Takeover takeover(String text, String where) {
        if (text == null || text.isEmpty()) {
            return Takeover.NEVER;
        }
        return Takeover.parse(text).orElseThrow(() -> CsiError.invalid(where + " is '" + text
                + "', not one of NEVER, IF_OWNER_UNREACHABLE, ALWAYS"));
    }

    private Volume volume(VolumeInfo v, Map<String, String> context, VolumeContentSource source) {
        Volume.Builder b = Volume.newBuilder()
                .setVolumeId(v.id())
                .setCapacityBytes(v.capacityBytes())
                .putAllVolumeContext(context);
        if (source != null && source.getTypeCase() != VolumeContentSource.TypeCase.TYPE_NOT_SET) {
            b.setContentSource(source);
        }
        if (!library.attachesRemotely()) {
            b.addAccessibleTopology(Topology.newBuilder().putSegments(PluginSettings.TOPOLOGY_KEY, library.localNode()));
        }
        return b.build();
    }

    private static Snapshot snapshot(SnapshotInfo s) {
        Snapshot.Builder b = Snapshot.newBuilder()
                .setSnapshotId(s.id())
                .setSourceVolumeId(s.sourceVolumeId())
                .setSizeBytes(s.sizeBytes())
                .setReadyToUse(true);
        if (s.createdAt() != null) {
            b.setCreationTime(Timestamp.newBuilder().setSeconds(s.createdAt().getEpochSecond()).setNanos(s.createdAt().getNano()));
        }
        return b.build();
    }
}
