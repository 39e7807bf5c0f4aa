package io.libstorage.csi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerPublishVolumeRequest;
import io.libstorage.csi.proto.CreateVolumeRequest;
import io.libstorage.csi.proto.NodePublishVolumeRequest;
import io.libstorage.csi.proto.NodeStageVolumeRequest;
import io.libstorage.csi.proto.NodeUnpublishVolumeRequest;
import io.libstorage.csi.proto.NodeUnstageVolumeRequest;
import io.libstorage.csi.proto.VolumeCapability;
import io.libstorage.csi.proto.VolumeCapability.AccessMode.Mode;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request builders and status assertions shared by the CSI tests. */
final class Csi {
    static final long MIB = 1024L * 1024;

    private Csi() {
    }

    static VolumeCapability mount(String fsType, Mode mode) {
        return VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType(fsType))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    static VolumeCapability mount() {
        return mount("ext4", Mode.SINGLE_NODE_WRITER);
    }

    static VolumeCapability block(Mode mode) {
        return VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    static CreateVolumeRequest create(String name, long bytes) {
        return CreateVolumeRequest.newBuilder().setName(name)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                .addVolumeCapabilities(mount())
                .build();
    }

    static ControllerPublishVolumeRequest publish(String id, String node) {
        return ControllerPublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId(node).setVolumeCapability(mount()).build();
    }

    static NodeStageVolumeRequest stage(String id, String staging) {
        return NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).setVolumeCapability(mount()).build();
    }

    static NodeUnstageVolumeRequest unstage(String id, String staging) {
        return NodeUnstageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).build();
    }

    static NodePublishVolumeRequest nodePublish(String id, String staging, String target) {
        return NodePublishVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).setTargetPath(target)
                .setVolumeCapability(mount()).build();
    }

    static NodeUnpublishVolumeRequest nodeUnpublish(String id, String target) {
        return NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target).build();
    }

    /** Asserts that the call fails with {@code code}; returns the status description. */
    static String fails(Status.Code code, ThrowableAssert.ThrowingCallable call) {
        StatusRuntimeException[] caught = new StatusRuntimeException[1];
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (StatusRuntimeException e) {
                caught[0] = e;
                throw e;
            }
        }).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .as(((StatusRuntimeException) e).getStatus().toString()).isEqualTo(code));
        return caught[0].getStatus().getDescription();
    }
}
