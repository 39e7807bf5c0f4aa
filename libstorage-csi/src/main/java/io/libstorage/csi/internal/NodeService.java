package io.libstorage.csi.internal;

import io.grpc.stub.StreamObserver;
import io.libstorage.api.BindState;
import io.libstorage.csi.internal.Model.Takeover;
import io.libstorage.csi.internal.Model.VolumeInfo;
import io.libstorage.csi.proto.NodeExpandVolumeRequest;
import io.libstorage.csi.proto.NodeExpandVolumeResponse;
import io.libstorage.csi.proto.NodeGetCapabilitiesRequest;
import io.libstorage.csi.proto.NodeGetCapabilitiesResponse;
import io.libstorage.csi.proto.NodeGetInfoRequest;
import io.libstorage.csi.proto.NodeGetInfoResponse;
import io.libstorage.csi.proto.NodeGetVolumeStatsRequest;
import io.libstorage.csi.proto.NodeGetVolumeStatsResponse;
import io.libstorage.csi.proto.NodeGrpc;
import io.libstorage.csi.proto.NodePublishVolumeRequest;
import io.libstorage.csi.proto.NodePublishVolumeResponse;
import io.libstorage.csi.proto.NodeServiceCapability;
import io.libstorage.csi.proto.NodeStageVolumeRequest;
import io.libstorage.csi.proto.NodeStageVolumeResponse;
import io.libstorage.csi.proto.NodeUnpublishVolumeRequest;
import io.libstorage.csi.proto.NodeUnpublishVolumeResponse;
import io.libstorage.csi.proto.NodeUnstageVolumeRequest;
import io.libstorage.csi.proto.NodeUnstageVolumeResponse;
import io.libstorage.csi.proto.Topology;
import io.libstorage.csi.proto.VolumeCapability;
import io.libstorage.csi.proto.VolumeCapability.AccessMode.Mode;
import io.libstorage.csi.proto.VolumeCondition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CSI Node. Staging is the library's mount: the staging path is a durable consumer of the volume
 * ({@code stage:<path>}), so the first stage on a node attaches, waits for the device, formats only a
 * blank device and mounts once; the staging path is then a bind mount of the library's mount. Each
 * target path is another durable consumer ({@code publish:<path>}) and a bind mount of the staging
 * path. Every step is re-derived from the consumer records and the mount table, so a call repeated
 * after a crash at any point does only what is missing; unpublish and unstage undo in reverse order.
 * Block volumes are attached at stage and the device node is bound onto the target file at publish.
 */
final class NodeService extends NodeGrpc.NodeImplBase {
    static final String STAGE = "stage:";
    static final String PUBLISH = "publish:";

    private final Library library;
    private final Calls calls;
    private final VolumeStats stats;

    NodeService(Library library, Calls calls) {
        this.library = library;
        this.calls = calls;
        this.stats = new VolumeStats(library);
    }

    @Override
    public void nodeStageVolume(NodeStageVolumeRequest r, StreamObserver<NodeStageVolumeResponse> out) {
        calls.runFor("NodeStageVolume", "volume", r.getVolumeId(), r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path staging = path(r.getStagingTargetPath(), "staging_target_path");
            VolumeCapability c = capability(r.hasVolumeCapability(), r.getVolumeCapability());
            VolumeInfo v = existing(r.getVolumeId());
            requireServable(v, c);
            Takeover t = ControllerService.takeover(r.getVolumeContextMap().get(ControllerService.PREEMPTION),
                    "volume_context " + ControllerService.PREEMPTION);
            directory(staging);
            if (Capabilities.block(c)) {
                library.attachHere(v.name(), t);
                return NodeStageVolumeResponse.getDefaultInstance();
            }
            Path mounted = library.mount(v.name(), STAGE + staging, c.getMount().getFsType(), c.getMount().getMountFlagsList(), t);
            switch (library.bindState(mounted, staging)) {
                case NOTHING:
                    library.bind(mounted, staging, false, v.name());
                    break;
                case OTHER:
                    throw CsiError.alreadyExists("staging_target_path " + staging + " already holds another mount");
                default:
                    break;
            }
            return NodeStageVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void nodeUnstageVolume(NodeUnstageVolumeRequest r, StreamObserver<NodeUnstageVolumeResponse> out) {
        calls.runFor("NodeUnstageVolume", "volume", r.getVolumeId(), r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path staging = path(r.getStagingTargetPath(), "staging_target_path");
            Optional<VolumeInfo> found = library.volume(r.getVolumeId());
            library.unbind(staging, found.map(VolumeInfo::name).orElse(r.getVolumeId()));
            VolumeInfo v = found.orElseThrow(() -> CsiError.notFound("volume '" + r.getVolumeId() + "' does not exist"));
            boolean staged = library.consumers(v.name()).contains(STAGE + staging);
            // also when the consumer is gone: an unstage killed in its unmount leaves the record without consumers but
            // still mounted (the recovery of its intent drops the consumer), and only an unmount completes it
            library.unmount(v.name(), STAGE + staging);
            if (!staged && !library.held(v.name()) && library.attachedHere(v.id())) {
                library.detachHere(v.name());
            }
            return NodeUnstageVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void nodePublishVolume(NodePublishVolumeRequest r, StreamObserver<NodePublishVolumeResponse> out) {
        calls.runFor("NodePublishVolume", "volume", r.getVolumeId(), r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path target = path(r.getTargetPath(), "target_path");
            VolumeCapability c = capability(r.hasVolumeCapability(), r.getVolumeCapability());
            if (r.getStagingTargetPath().isEmpty()) {
                throw CsiError.failedPrecondition("staging_target_path is missing: this plugin stages volumes (STAGE_UNSTAGE_VOLUME)");
            }
            Path staging = path(r.getStagingTargetPath(), "staging_target_path");
            VolumeInfo v = existing(r.getVolumeId());
            requireServable(v, c);
            boolean readOnly = r.getReadonly() || Capabilities.readOnlyMode(c);
            if (Capabilities.mode(c) == Mode.SINGLE_NODE_SINGLE_WRITER) {
                for (String other : library.consumers(v.name())) {
                    if (other.startsWith(PUBLISH) && !other.equals(PUBLISH + target)) {
                        throw CsiError.failedPrecondition("volume '" + v.name() + "' is SINGLE_NODE_SINGLE_WRITER and already published at "
                                + other.substring(PUBLISH.length()));
                    }
                }
            }
            Path source;
            if (Capabilities.block(c)) {
                source = library.deviceHere(v).orElseThrow(() -> CsiError.failedPrecondition(
                        "volume '" + v.name() + "' is not staged on this node (no attached device)"));
                file(target);
            } else {
                if (!library.mounted(staging)) {
                    throw CsiError.failedPrecondition("volume '" + v.name() + "' is not staged at " + staging);
                }
                library.mount(v.name(), PUBLISH + target, c.getMount().getFsType(), c.getMount().getMountFlagsList(),
                        Takeover.NEVER);
                source = staging;
                directory(target);
            }
            BindState state = library.bindState(source, target);
            if (state == BindState.OTHER
                    || (state == BindState.SOURCE_READ_WRITE && readOnly)
                    || (state == BindState.SOURCE_READ_ONLY && !readOnly)) {
                throw CsiError.alreadyExists("target_path " + target + " already holds volume '" + v.name()
                        + "' or another mount with other arguments (" + state + ")");
            }
            library.bind(source, target, readOnly, v.name());
            return NodePublishVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void nodeUnpublishVolume(NodeUnpublishVolumeRequest r, StreamObserver<NodeUnpublishVolumeResponse> out) {
        calls.runFor("NodeUnpublishVolume", "volume", r.getVolumeId(), r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path target = path(r.getTargetPath(), "target_path");
            Optional<VolumeInfo> found = library.volume(r.getVolumeId());
            String name = found.map(VolumeInfo::name).orElse(r.getVolumeId());
            library.unbind(target, name);
            remove(target);
            VolumeInfo v = found.orElseThrow(() -> CsiError.notFound("volume '" + r.getVolumeId() + "' does not exist"));
            if (library.consumers(v.name()).contains(PUBLISH + target)) {
                library.unmount(v.name(), PUBLISH + target);
            }
            return NodeUnpublishVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void nodeGetVolumeStats(NodeGetVolumeStatsRequest r, StreamObserver<NodeGetVolumeStatsResponse> out) {
        calls.run("NodeGetVolumeStats", r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path path = path(r.getVolumePath(), "volume_path");
            VolumeInfo v = existing(r.getVolumeId());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw CsiError.notFound("volume_path " + path + " does not exist");
            }
            NodeGetVolumeStatsResponse.Builder b = NodeGetVolumeStatsResponse.newBuilder();
            String problem = library.problem(v.name()).orElse(null);
            if (problem == null && !library.mounted(path)) {
                problem = "volume_path " + path + " is not mounted";
            }
            try {
                b.addAllUsage(stats.usage(v, path));
            } catch (RuntimeException e) {
                problem = problem != null ? problem : "cannot read the filesystem at " + path + ": " + e.getMessage();
            }
            b.setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(problem != null).setMessage(problem == null ? "healthy" : problem));
            return b.build();
        });
    }

    @Override
    public void nodeExpandVolume(NodeExpandVolumeRequest r, StreamObserver<NodeExpandVolumeResponse> out) {
        calls.runFor("NodeExpandVolume", "volume", r.getVolumeId(), r, out, () -> {
            ControllerService.requireId(r.getVolumeId());
            Path path = path(r.getVolumePath(), "volume_path");
            VolumeInfo v = existing(r.getVolumeId());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw CsiError.notFound("volume_path " + path + " does not exist");
            }
            if (r.getCapacityRange().getLimitBytes() > 0 && v.capacityBytes() > r.getCapacityRange().getLimitBytes()) {
                throw CsiError.outOfRange("volume '" + v.name() + "' has " + v.capacityBytes() + " bytes, more than limit_bytes "
                        + r.getCapacityRange().getLimitBytes());
            }
            boolean block = (r.hasVolumeCapability() && Capabilities.block(r.getVolumeCapability()))
                    || Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
            if (!block) {
                library.growFilesystem(v);
            }
            return NodeExpandVolumeResponse.newBuilder().setCapacityBytes(v.capacityBytes()).build();
        });
    }

    @Override
    public void nodeGetCapabilities(NodeGetCapabilitiesRequest r, StreamObserver<NodeGetCapabilitiesResponse> out) {
        calls.run("NodeGetCapabilities", r, out, () -> {
            NodeGetCapabilitiesResponse.Builder b = NodeGetCapabilitiesResponse.newBuilder();
            add(b, NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME);
            add(b, NodeServiceCapability.RPC.Type.GET_VOLUME_STATS);
            add(b, NodeServiceCapability.RPC.Type.VOLUME_CONDITION);
            add(b, NodeServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER);
            if (library.grows()) {
                add(b, NodeServiceCapability.RPC.Type.EXPAND_VOLUME);
            }
            return b.build();
        });
    }

    private static void add(NodeGetCapabilitiesResponse.Builder b, NodeServiceCapability.RPC.Type type) {
        b.addCapabilities(NodeServiceCapability.newBuilder().setRpc(NodeServiceCapability.RPC.newBuilder().setType(type)));
    }

    @Override
    public void nodeGetInfo(NodeGetInfoRequest r, StreamObserver<NodeGetInfoResponse> out) {
        calls.run("NodeGetInfo", r, out, () -> {
            NodeGetInfoResponse.Builder b = NodeGetInfoResponse.newBuilder().setNodeId(library.localNode());
            if (!library.attachesRemotely()) {
                b.setAccessibleTopology(Topology.newBuilder().putSegments(PluginSettings.TOPOLOGY_KEY, library.localNode()));
            }
            return b.build();
        });
    }

    // ------------------------------------------------------------ helpers

    private VolumeInfo existing(String id) {
        return library.volume(id).orElseThrow(() -> CsiError.notFound("volume '" + id + "' does not exist"));
    }

    private void requireServable(VolumeInfo v, VolumeCapability c) {
        String why = Capabilities.unsupported(c, library);
        if (why == null) {
            why = Capabilities.mismatch(v, c);
        }
        if (why != null) {
            throw CsiError.failedPrecondition(why);
        }
    }

    private static VolumeCapability capability(boolean present, VolumeCapability c) {
        if (!present) {
            throw CsiError.invalid("volume_capability is missing");
        }
        Capabilities.requireWellFormed(c, "volume_capability");
        return c;
    }

    private static Path path(String text, String field) {
        if (text.isEmpty()) {
            throw CsiError.invalid(field + " is missing");
        }
        Path p = Path.of(text);
        if (!p.isAbsolute()) {
            throw CsiError.invalid(field + " must be an absolute path, not '" + text + "'");
        }
        return p.normalize();
    }

    private static void directory(Path p) {
        try {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    private static void file(Path p) {
        try {
            Files.createDirectories(p.getParent());
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    private static void remove(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            throw CsiError.failedPrecondition("target_path " + p + " is not a mount point any more but holds files: not deleting them");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
