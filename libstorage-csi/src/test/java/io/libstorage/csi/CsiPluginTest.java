package io.libstorage.csi;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerExpandVolumeRequest;
import io.libstorage.csi.proto.ControllerGetCapabilitiesRequest;
import io.libstorage.csi.proto.ControllerPublishVolumeRequest;
import io.libstorage.csi.proto.ControllerServiceCapability;
import io.libstorage.csi.proto.ControllerUnpublishVolumeRequest;
import io.libstorage.csi.proto.CreateSnapshotRequest;
import io.libstorage.csi.proto.CreateVolumeRequest;
import io.libstorage.csi.proto.DeleteSnapshotRequest;
import io.libstorage.csi.proto.DeleteVolumeRequest;
import io.libstorage.csi.proto.GetPluginCapabilitiesRequest;
import io.libstorage.csi.proto.GetPluginInfoRequest;
import io.libstorage.csi.proto.ListSnapshotsRequest;
import io.libstorage.csi.proto.ListVolumesRequest;
import io.libstorage.csi.proto.ListVolumesResponse;
import io.libstorage.csi.proto.NodeExpandVolumeRequest;
import io.libstorage.csi.proto.NodeGetCapabilitiesRequest;
import io.libstorage.csi.proto.NodeGetInfoRequest;
import io.libstorage.csi.proto.NodeGetVolumeStatsRequest;
import io.libstorage.csi.proto.NodeGetVolumeStatsResponse;
import io.libstorage.csi.proto.NodePublishVolumeRequest;
import io.libstorage.csi.proto.NodeServiceCapability;
import io.libstorage.csi.proto.NodeStageVolumeRequest;
import io.libstorage.csi.proto.PluginCapability;
import io.libstorage.csi.proto.ProbeRequest;
import io.libstorage.csi.proto.Snapshot;
import io.libstorage.csi.proto.ValidateVolumeCapabilitiesRequest;
import io.libstorage.csi.proto.Volume;
import io.libstorage.csi.proto.VolumeCapability.AccessMode.Mode;
import io.libstorage.csi.proto.VolumeContentSource;
import io.libstorage.csi.proto.VolumeUsage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.tck.InMemoryLibStorage;
import io.libstorage.inmemory.StorageOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.libstorage.csi.Csi.MIB;
import static io.libstorage.csi.Csi.fails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CSI plugin over the in-memory driver, through its real unix socket with grpc-java clients:
 * every behaviour of the CSI reference's "behaviours to mirror", and the library's guarantees
 * (format once, takeover only per call, one call per volume at a time) as CSI calls see them.
 */
class CsiPluginTest {
    private static final String NODE = "node-a";
    private InMemoryCluster cluster;
    private LibStorage storage;
    private Path dir;
    private CsiPlugin plugin;
    private CsiClient csi;

    @BeforeEach
    void start() throws Exception {
        cluster = InMemoryCluster.create();
        storage = InMemoryLibStorage.onHost(cluster, NODE);
        dir = Files.createTempDirectory("csi-test");
        plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(dir.resolve("csi.sock"))).start();
        csi = new CsiClient(plugin.socket());
    }

    @AfterEach
    void stop() throws Exception {
        csi.close();
        plugin.close();
        storage.close();
        cluster.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String staging(String name) throws Exception {
        return Files.createDirectories(dir.resolve("staging").resolve(name)).toString();
    }

    private String target(String name) {
        return dir.resolve("pods").resolve(name).resolve("mount").toString();
    }

    private String createVolume(String name) {
        return csi.controller.createVolume(Csi.create(name, 64 * MIB)).getVolume().getVolumeId();
    }

    // ------------------------------------------------------------ identity

    @Test
    void identityNamesThePluginAndItsCapabilitiesAndProbesTheBackEnd() {
        assertThat(csi.identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName()).isEqualTo(CsiPlugin.DEFAULT_NAME);
        assertThat(csi.identity.getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(PluginCapability::getService).extracting(PluginCapability.Service::getType)
                .contains(PluginCapability.Service.Type.CONTROLLER_SERVICE);
        assertThat(csi.identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();

        cluster.faults().backendUnavailable(true);
        assertThat(fails(Status.Code.FAILED_PRECONDITION, () -> csi.identity.probe(ProbeRequest.getDefaultInstance())))
                .contains("does not answer");
    }

    @Test
    void nodeIdIsTheDriversHostIdAndCapabilitiesIncludeStaging() {
        assertThat(csi.node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo(NODE);
        assertThat(csi.node.nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(c -> c.getRpc().getType())
                .contains(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME, NodeServiceCapability.RPC.Type.GET_VOLUME_STATS,
                        NodeServiceCapability.RPC.Type.EXPAND_VOLUME);
        assertThat(csi.controller.controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(c -> c.getRpc().getType())
                .contains(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME, ControllerServiceCapability.RPC.Type.PUBLISH_UNPUBLISH_VOLUME,
                        ControllerServiceCapability.RPC.Type.LIST_VOLUMES, ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT,
                        ControllerServiceCapability.RPC.Type.EXPAND_VOLUME);
    }

    // ------------------------------------------------------------ create / delete

    @Test
    void createIsKeyedByNameAndAnotherCapacityIsAlreadyExists() {
        Volume first = csi.controller.createVolume(Csi.create("pvc-1", 64 * MIB)).getVolume();
        Volume again = csi.controller.createVolume(Csi.create("pvc-1", 64 * MIB)).getVolume();
        assertThat(again.getVolumeId()).isEqualTo(first.getVolumeId());
        assertThat(first.getCapacityBytes()).isGreaterThanOrEqualTo(64 * MIB);
        assertThat(cluster.volumeCount()).isEqualTo(1);

        assertThat(fails(Status.Code.ALREADY_EXISTS, () -> csi.controller.createVolume(Csi.create("pvc-1", 4096 * MIB))))
                .contains("pvc-1");
        assertThat(cluster.volumeCount()).isEqualTo(1);
    }

    @Test
    void deleteOfAnUnknownOrRemovedVolumeIsOk() {
        String id = createVolume("gone");
        csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("no-such-volume").build());
        assertThat(cluster.volumeCount()).isZero();
    }

    @Test
    void everyMissingRequiredFieldIsInvalidArgument() throws Exception {
        String id = createVolume("fields");
        String staging = staging("fields");
        List<Runnable> calls = new ArrayList<>(List.of(
                () -> csi.controller.createVolume(Csi.create("", MIB)),
                () -> csi.controller.createVolume(CreateVolumeRequest.newBuilder().setName("no-caps").build()),
                () -> csi.controller.deleteVolume(DeleteVolumeRequest.getDefaultInstance()),
                () -> csi.controller.controllerPublishVolume(Csi.publish("", NODE)),
                () -> csi.controller.controllerPublishVolume(Csi.publish(id, "")),
                () -> csi.controller.controllerPublishVolume(Csi.publish(id, NODE).toBuilder().clearVolumeCapability().build()),
                () -> csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.getDefaultInstance()),
                () -> csi.controller.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(id).build()),
                () -> csi.controller.createSnapshot(CreateSnapshotRequest.newBuilder().setName("s").build()),
                () -> csi.controller.createSnapshot(CreateSnapshotRequest.newBuilder().setSourceVolumeId(id).build()),
                () -> csi.controller.deleteSnapshot(DeleteSnapshotRequest.getDefaultInstance()),
                () -> csi.controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id).build()),
                () -> csi.node.nodeStageVolume(Csi.stage("", staging)),
                () -> csi.node.nodeStageVolume(Csi.stage(id, "")),
                () -> csi.node.nodeStageVolume(Csi.stage(id, staging).toBuilder().clearVolumeCapability().build()),
                () -> csi.node.nodeUnstageVolume(Csi.unstage("", staging)),
                () -> csi.node.nodeUnstageVolume(Csi.unstage(id, "")),
                () -> csi.node.nodePublishVolume(Csi.nodePublish("", staging, target("f"))),
                () -> csi.node.nodePublishVolume(Csi.nodePublish(id, staging, "")),
                () -> csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target("f")).toBuilder().clearVolumeCapability().build()),
                () -> csi.node.nodeUnpublishVolume(Csi.nodeUnpublish("", target("f"))),
                () -> csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, "")),
                () -> csi.node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumePath(staging).build()),
                () -> csi.node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id).build()),
                () -> csi.node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumePath(staging).build()),
                () -> csi.node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id).build())));
        for (int i = 0; i < calls.size(); i++) {
            Runnable call = calls.get(i);
            assertThatThrownBy(call::run).as("call #%d", i).isInstanceOf(StatusRuntimeException.class)
                    .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        // the spec's own code for a publish without the staging path this plugin requires
        fails(Status.Code.FAILED_PRECONDITION, () -> csi.node.nodePublishVolume(
                Csi.nodePublish(id, staging, target("f")).toBuilder().clearStagingTargetPath().build()));
        assertThat(Path.of(target("f"))).doesNotExist();
    }

    @Test
    void nodeCallsForAnUnknownVolumeAreNotFound() throws Exception {
        String staging = staging("unknown");
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodeStageVolume(Csi.stage("no-such-id", staging)));
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodeUnstageVolume(Csi.unstage("no-such-id", staging)));
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodePublishVolume(Csi.nodePublish("no-such-id", staging, target("u"))));
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodeUnpublishVolume(Csi.nodeUnpublish("no-such-id", target("u"))));
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodeGetVolumeStats(
                NodeGetVolumeStatsRequest.newBuilder().setVolumeId("no-such-id").setVolumePath(staging).build()));
        fails(Status.Code.NOT_FOUND, () -> csi.controller.controllerPublishVolume(Csi.publish("no-such-id", NODE)));
        fails(Status.Code.NOT_FOUND, () -> csi.controller.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("no-such-id").addVolumeCapabilities(Csi.mount()).build()));
    }

    // ------------------------------------------------------------ the cycle

    @Test
    void theFullCycleTenTimesLeavesNothingBehindAndFormatsOnce() throws Exception {
        String staging = staging("cycle");
        String target = target("cycle");
        for (int i = 0; i < 10; i++) {
            String id = createVolume("cycle");
            assertThat(csi.controller.controllerPublishVolume(Csi.publish(id, NODE)).getPublishContextMap()).containsEntry("node", NODE);
            csi.node.nodeStageVolume(Csi.stage(id, staging));
            csi.node.nodeStageVolume(Csi.stage(id, staging));
            csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target));
            csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target));
            assertThat(Path.of(target)).isDirectory();
            Files.writeString(Path.of(target, "data.txt"), "round " + i);
            assertThat(Path.of(staging, "data.txt")).hasContent("round " + i);

            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target));
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target));
            assertThat(Path.of(target)).doesNotExist();
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
            assertThat(Path.of(staging)).isEmptyDirectory();
            csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId(NODE).build());
            csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId(NODE).build());
            assertThat(cluster.formatCount("cycle")).isEqualTo(1);
            assertThat(cluster.mountsOf(NODE)).isEmpty();
            assertThat(cluster.mappingsOf("cycle")).isEmpty();
            assertThat(storage.inspect("cycle").orElseThrow().consumers()).isEmpty();
            csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            assertThat(cluster.volumeCount()).isZero();
        }
    }

    @Test
    void dataSurvivesRestagingAndTheDeviceIsFormattedOnlyOnce() throws Exception {
        String id = createVolume("keep");
        String staging = staging("keep");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        Files.writeString(Path.of(staging, "precious"), "yes");
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        assertThat(Path.of(staging, "precious")).hasContent("yes");
        assertThat(cluster.formatCount("keep")).isEqualTo(1);
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
    }

    @Test
    void aPluginRestartBetweenStageAndPublishLosesNothing() throws Exception {
        String id = createVolume("restart");
        String staging = staging("restart");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        csi.close();
        plugin.close();
        plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(dir.resolve("csi.sock"))).start();
        csi = new CsiClient(plugin.socket());
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target("restart")));
        assertThat(storage.inspect("restart").orElseThrow().consumers()).extracting(Object::toString)
                .containsExactlyInAnyOrder("csi:stage:" + staging, "csi:publish:" + target("restart"));
        csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target("restart")));
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        assertThat(cluster.mountsOf(NODE)).isEmpty();
    }

    // ------------------------------------------------------------ publish arguments

    @Test
    void readOnlyPublishAndTheSecondPublishMatrix() throws Exception {
        String id = createVolume("matrix");
        String staging = staging("matrix");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        NodePublishVolumeRequest ro = Csi.nodePublish(id, staging, target("ro")).toBuilder().setReadonly(true).build();
        csi.node.nodePublishVolume(ro);
        csi.node.nodePublishVolume(ro);
        // same target, other arguments
        fails(Status.Code.ALREADY_EXISTS, () -> csi.node.nodePublishVolume(ro.toBuilder().setReadonly(false).build()));
        // another target: fine for SINGLE_NODE_WRITER (several pods of one node) ...
        csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target("rw")));
        // ... but not for SINGLE_NODE_SINGLE_WRITER
        NodePublishVolumeRequest single = Csi.nodePublish(id, staging, target("single")).toBuilder()
                .setVolumeCapability(Csi.mount("ext4", Mode.SINGLE_NODE_SINGLE_WRITER)).build();
        assertThat(fails(Status.Code.FAILED_PRECONDITION, () -> csi.node.nodePublishVolume(single))).contains("already published");
        for (String t : List.of("ro", "rw")) {
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target(t)));
        }
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        assertThat(cluster.mountsOf(NODE)).isEmpty();
    }

    @Test
    void aStageWithAnotherFilesystemThanTheVolumesIsRefused() throws Exception {
        String id = createVolume("fs");
        fails(Status.Code.FAILED_PRECONDITION, () -> csi.node.nodeStageVolume(Csi.stage(id, staging("fs")).toBuilder()
                .setVolumeCapability(Csi.mount("xfs", Mode.SINGLE_NODE_WRITER)).build()));
        assertThat(cluster.formatCount("fs")).isZero();
    }

    @Test
    void blockVolumesAreTheDeviceBoundOntoTheTargetFile() throws Exception {
        String id = csi.controller.createVolume(Csi.create("raw", 64 * MIB).toBuilder().clearVolumeCapabilities()
                .addVolumeCapabilities(Csi.block(Mode.SINGLE_NODE_WRITER)).build()).getVolume().getVolumeId();
        String staging = staging("raw");
        csi.node.nodeStageVolume(Csi.stage(id, staging).toBuilder().setVolumeCapability(Csi.block(Mode.SINGLE_NODE_WRITER)).build());
        NodePublishVolumeRequest p = Csi.nodePublish(id, staging, target("raw")).toBuilder()
                .setVolumeCapability(Csi.block(Mode.SINGLE_NODE_WRITER)).build();
        csi.node.nodePublishVolume(p);
        csi.node.nodePublishVolume(p);
        assertThat(Files.isSymbolicLink(Path.of(target("raw")))).isTrue();
        assertThat(cluster.formatCount("raw")).isZero();
        assertThat(cluster.mappingsOf("raw")).extracting(Object::toString).containsExactly(NODE);
        csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target("raw")));
        assertThat(Path.of(target("raw"))).doesNotExist();
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        assertThat(cluster.mappingsOf("raw")).isEmpty();
    }

    // ------------------------------------------------------------ controller publish and takeover

    @Test
    void publishToASecondNodeIsRefusedNamingTheHolderUnlessTheVolumeContextAllowsTakeover() {
        InMemoryLibStorage.onHost(cluster, "node-b");
        String id = createVolume("shared");
        csi.controller.controllerPublishVolume(Csi.publish(id, NODE));
        csi.controller.controllerPublishVolume(Csi.publish(id, NODE));
        assertThat(fails(Status.Code.FAILED_PRECONDITION, () -> csi.controller.controllerPublishVolume(Csi.publish(id, "node-b"))))
                .contains(NODE);
        assertThat(cluster.mappingsOf("shared")).extracting(Object::toString).containsExactly(NODE);

        ControllerPublishVolumeRequest takeover = Csi.publish(id, "node-b").toBuilder().putVolumeContext("preemption", "ALWAYS").build();
        assertThat(csi.controller.controllerPublishVolume(takeover).getPublishContextMap()).containsEntry("node", "node-b");
        assertThat(cluster.mappingsOf("shared")).extracting(Object::toString).containsExactly("node-b");

        fails(Status.Code.INVALID_ARGUMENT, () -> csi.controller.controllerPublishVolume(
                Csi.publish(id, NODE).toBuilder().putVolumeContext("preemption", "sometimes").build()));
        csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId("node-b").build());
        csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId("node-b").build());
        csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId("unknown").setNodeId(NODE).build());
        assertThat(cluster.mappingsOf("shared")).isEmpty();
    }

    @Test
    void theTakeoverPolicyOfCreateParametersTravelsInTheVolumeContext() {
        Volume v = csi.controller.createVolume(Csi.create("ctx", 64 * MIB).toBuilder().putParameters("preemption", "IF_OWNER_UNREACHABLE")
                .build()).getVolume();
        assertThat(v.getVolumeContextMap()).containsEntry("preemption", "IF_OWNER_UNREACHABLE").containsEntry("name", "ctx");
        fails(Status.Code.INVALID_ARGUMENT, () -> csi.controller.createVolume(Csi.create("ctx2", 64 * MIB).toBuilder()
                .putParameters("preemption", "maybe").build()));
    }

    @Test
    void validateConfirmsOnlyCapabilitiesTheVolumeServes() {
        String id = createVolume("validate");
        assertThat(csi.controller.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(id)
                .addVolumeCapabilities(Csi.mount()).build()).hasConfirmed()).isTrue();
        var refused = csi.controller.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(id)
                .addVolumeCapabilities(Csi.mount("ext4", Mode.MULTI_NODE_MULTI_WRITER)).build());
        assertThat(refused.hasConfirmed()).isFalse();
        assertThat(refused.getMessage()).isNotEmpty();
    }

    // ------------------------------------------------------------ list, snapshots, expansion, stats

    @Test
    void listVolumesPagesAndABadTokenIsAborted() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createVolume("list-" + i));
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListVolumesResponse page = csi.controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).setStartingToken(token).build());
            assertThat(page.getEntriesCount()).isLessThanOrEqualTo(2);
            page.getEntriesList().forEach(e -> seen.add(e.getVolume().getVolumeId()));
            token = page.getNextToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        fails(Status.Code.ABORTED, () -> csi.controller.listVolumes(ListVolumesRequest.newBuilder().setStartingToken("bogus").build()));
        fails(Status.Code.ABORTED, () -> csi.controller.listVolumes(ListVolumesRequest.newBuilder().setStartingToken("99").build()));
    }

    @Test
    void snapshotsAreReadyAndKeyedByNameAndAVolumeCanStartFromOne() throws Exception {
        String id = createVolume("origin");
        String other = createVolume("other");
        String staging = staging("origin");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        Files.writeString(Path.of(staging, "f"), "snap me");
        Snapshot s = csi.controller.createSnapshot(CreateSnapshotRequest.newBuilder().setSourceVolumeId(id).setName("snap-1").build()).getSnapshot();
        assertThat(s.getReadyToUse()).isTrue();
        assertThat(s.getSourceVolumeId()).isEqualTo(id);
        assertThat(csi.controller.createSnapshot(CreateSnapshotRequest.newBuilder().setSourceVolumeId(id).setName("snap-1").build())
                .getSnapshot().getSnapshotId()).isEqualTo(s.getSnapshotId());
        fails(Status.Code.ALREADY_EXISTS, () -> csi.controller.createSnapshot(
                CreateSnapshotRequest.newBuilder().setSourceVolumeId(other).setName("snap-1").build()));
        fails(Status.Code.NOT_FOUND, () -> csi.controller.createSnapshot(
                CreateSnapshotRequest.newBuilder().setSourceVolumeId("no-such-volume").setName("snap-2").build()));
        assertThat(csi.controller.listSnapshots(ListSnapshotsRequest.newBuilder().setSourceVolumeId(id).build()).getEntriesList())
                .extracting(e -> e.getSnapshot().getSnapshotId()).containsExactly(s.getSnapshotId());
        fails(Status.Code.ABORTED, () -> csi.controller.listSnapshots(ListSnapshotsRequest.newBuilder().setStartingToken("x").build()));

        CreateVolumeRequest fromSnapshot = Csi.create("restored", 64 * MIB).toBuilder().setVolumeContentSource(VolumeContentSource.newBuilder()
                .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(s.getSnapshotId()))).build();
        Volume restored = csi.controller.createVolume(fromSnapshot).getVolume();
        assertThat(restored.getContentSource().getSnapshot().getSnapshotId()).isEqualTo(s.getSnapshotId());
        String restoredStaging = staging("restored");
        csi.node.nodeStageVolume(Csi.stage(restored.getVolumeId(), restoredStaging));
        assertThat(Path.of(restoredStaging, "f")).hasContent("snap me");
        fails(Status.Code.NOT_FOUND, () -> csi.controller.createVolume(Csi.create("from-nothing", 64 * MIB).toBuilder()
                .setVolumeContentSource(VolumeContentSource.newBuilder().setSnapshot(
                        VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("no-such-snapshot"))).build()));

        csi.node.nodeUnstageVolume(Csi.unstage(restored.getVolumeId(), restoredStaging));
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        csi.controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(s.getSnapshotId()).build());
        csi.controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(s.getSnapshotId()).build());
        assertThat(csi.controller.listSnapshots(ListSnapshotsRequest.getDefaultInstance()).getEntriesList()).isEmpty();
    }

    @Test
    void expansionGrowsTheVolumeThenItsFilesystemAndRepeatsAreOk() throws Exception {
        String id = createVolume("grow");
        String staging = staging("grow");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target("grow")));
        ControllerExpandVolumeRequest grow = ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(128 * MIB)).build();
        var grown = csi.controller.controllerExpandVolume(grow);
        assertThat(grown.getCapacityBytes()).isGreaterThanOrEqualTo(128 * MIB);
        assertThat(grown.getNodeExpansionRequired()).isTrue();
        assertThat(csi.controller.controllerExpandVolume(grow).getCapacityBytes()).isEqualTo(grown.getCapacityBytes());
        long before = cluster.calls().count(io.libstorage.inmemory.OsOp.GROW_FILESYSTEM);
        assertThat(csi.node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id).setVolumePath(target("grow")).build())
                .getCapacityBytes()).isEqualTo(grown.getCapacityBytes());
        assertThat(cluster.calls().count(io.libstorage.inmemory.OsOp.GROW_FILESYSTEM)).isEqualTo(before + 1);
        fails(Status.Code.NOT_FOUND, () -> csi.controller.controllerExpandVolume(grow.toBuilder().setVolumeId("no-such-volume").build()));
        csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target("grow")));
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
    }

    @Test
    void statsReportBytesAndInodesAndAnUnmountedPathIsAbnormal() throws Exception {
        String id = createVolume("stats");
        String staging = staging("stats");
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target("stats")));
        NodeGetVolumeStatsResponse stats = csi.node.nodeGetVolumeStats(
                NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id).setVolumePath(target("stats")).build());
        assertThat(stats.getUsageList()).extracting(VolumeUsage::getUnit).containsExactly(VolumeUsage.Unit.BYTES, VolumeUsage.Unit.INODES);
        assertThat(stats.getUsage(0).getTotal()).isPositive();
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
        csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target("stats")));
        Path loose = Files.createDirectories(dir.resolve("loose"));
        NodeGetVolumeStatsResponse unmounted = csi.node.nodeGetVolumeStats(
                NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id).setVolumePath(loose.toString()).build());
        assertThat(unmounted.getVolumeCondition().getAbnormal()).isTrue();
        assertThat(unmounted.getVolumeCondition().getMessage()).contains("not mounted");
        fails(Status.Code.NOT_FOUND, () -> csi.node.nodeGetVolumeStats(
                NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id).setVolumePath(target("stats")).build()));
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void aSecondCallForAVolumeWhileOneIsInProgressIsAborted() throws Exception {
        String id = createVolume("busy");
        String staging = staging("busy");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cluster.faults().failNext(StorageOp.ATTACH, 1, ctx -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new OperationFailedException(ctx, "injected after the second call was answered", null);
        });
        ListenableFuture<?> first = csi.nodeAsync.nodeStageVolume(Csi.stage(id, staging));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(fails(Status.Code.ABORTED, () -> csi.node.nodeStageVolume(Csi.stage(id, staging)))).contains("in progress");
            fails(Status.Code.ABORTED, () -> csi.node.nodeUnstageVolume(Csi.unstage(id, staging)));
        } finally {
            release.countDown();
        }
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class);
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
        assertThat(cluster.mountsOf(NODE)).isEmpty();
    }
}
