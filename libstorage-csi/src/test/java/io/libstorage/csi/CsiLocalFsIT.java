package io.libstorage.csi;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerExpandVolumeRequest;
import io.libstorage.csi.proto.ControllerGetCapabilitiesRequest;
import io.libstorage.csi.proto.ControllerServiceCapability;
import io.libstorage.csi.proto.ControllerUnpublishVolumeRequest;
import io.libstorage.csi.proto.DeleteVolumeRequest;
import io.libstorage.csi.proto.GetCapacityRequest;
import io.libstorage.csi.proto.GetPluginCapabilitiesRequest;
import io.libstorage.csi.proto.NodeExpandVolumeRequest;
import io.libstorage.csi.proto.NodeGetInfoRequest;
import io.libstorage.csi.proto.NodeGetVolumeStatsRequest;
import io.libstorage.csi.proto.NodePublishVolumeRequest;
import io.libstorage.csi.proto.PluginCapability;
import io.libstorage.csi.proto.Topology;
import io.libstorage.csi.proto.Volume;
import io.libstorage.csi.proto.VolumeCapability.AccessMode.Mode;
import io.libstorage.csi.proto.VolumeUsage;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import io.libstorage.spi.support.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.libstorage.csi.Csi.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSI plugin over localfs with real loop devices, ext4, mounts and bind mounts (root): the full
 * cycle, the topology of a node-local back end, stats, online expansion, block volumes, and the
 * crash test: the plugin process killed (SIGKILL) at random points of stage, publish, unpublish and
 * unstage, restarted, and the orchestrator's retry converging with nothing leaked and no re-format.
 */
class CsiLocalFsIT {
    private Path dir;

    @BeforeEach
    void prepare() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("blkid", "mkfs.ext4", "mkfs.xfs", "xfs_growfs", "mount", "umount", "stat");
        dir = Files.createTempDirectory(Path.of("/tmp"), "lscsi-").toRealPath();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dir == null) {
            return;
        }
        LoopDeviceSweeper.unmountAllUnder(dir);
        LoopDeviceSweeper.sweep(dir);
        List<Path> left = mountsUnder(dir);
        List<Path> devices = LoopDeviceSweeper.devicesUnder(dir);
        FileTrees.deleteTree(dir);
        assertThat(left).as("mounts left under the test directory").isEmpty();
        assertThat(devices).as("loop devices left").isEmpty();
    }

    private static List<Path> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> Path.of(l.split(" ")[4].replace("\\040", " ")))
                .filter(m -> m.startsWith(dir)).toList();
    }

    private void inProcess(Consumer<CsiClient> test) throws Exception {
        try (LibStorage storage = LocalFsPlugin.storage(dir);
             CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(LocalFsPlugin.socket(dir))).start();
             CsiClient csi = new CsiClient(plugin.socket())) {
            test.accept(csi);
        }
    }

    @Test
    void getCapacityReportsTheFreeSpaceOfTheLocalfsRootForThisNodeOnly() throws Exception {
        inProcess(csi -> {
            assertThat(csi.controller.controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                    .extracting(c -> c.getRpc().getType()).contains(ControllerServiceCapability.RPC.Type.GET_CAPACITY);
            String node = csi.node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId();
            long total;
            try {
                total = Files.getFileStore(dir).getTotalSpace();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long here = csi.controller.getCapacity(GetCapacityRequest.newBuilder()
                    .setAccessibleTopology(Topology.newBuilder().putSegments("topology.libstorage.io/node", node)).build())
                    .getAvailableCapacity();
            assertThat(here).isPositive().isLessThanOrEqualTo(total);
            assertThat(csi.controller.getCapacity(GetCapacityRequest.getDefaultInstance()).getAvailableCapacity()).isPositive();
            assertThat(csi.controller.getCapacity(GetCapacityRequest.newBuilder()
                    .setAccessibleTopology(Topology.newBuilder().putSegments("topology.libstorage.io/node", "another-node")).build())
                    .getAvailableCapacity()).as("a node-local back end has no capacity on another node").isZero();
        });
    }

    @Test
    void theFullCycleOnRealMountsAndTheTopologyOfANodeLocalBackEnd() throws Exception {
        inProcess(csi -> {
            String node = csi.node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId();
            assertThat(csi.node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getAccessibleTopology().getSegmentsMap())
                    .containsEntry("topology.libstorage.io/node", node);
            assertThat(csi.identity.getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                    .extracting(c -> c.getService().getType()).contains(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS);
            Path staging = mkdirs(dir.resolve("staging"));
            Path target = dir.resolve("pod/mount");
            for (int i = 0; i < 3; i++) {
                Volume v = csi.controller.createVolume(Csi.create("cycle", 64 * MIB)).getVolume();
                assertThat(v.getAccessibleTopology(0).getSegmentsMap()).containsEntry("topology.libstorage.io/node", node);
                String id = v.getVolumeId();
                csi.controller.controllerPublishVolume(Csi.publish(id, node));
                Csi.fails(Status.Code.NOT_FOUND, () -> csi.controller.controllerPublishVolume(Csi.publish(id, "another-node")));
                csi.node.nodeStageVolume(Csi.stage(id, staging.toString()));
                csi.node.nodePublishVolume(Csi.nodePublish(id, staging.toString(), target.toString()));
                csi.node.nodePublishVolume(Csi.nodePublish(id, staging.toString(), target.toString()));
                write(target.resolve("f"), "round " + i);
                assertThat(staging.resolve("f")).hasContent("round " + i);
                var stats = csi.node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id)
                        .setVolumePath(target.toString()).build());
                assertThat(stats.getUsageList()).extracting(VolumeUsage::getUnit).containsExactly(VolumeUsage.Unit.BYTES, VolumeUsage.Unit.INODES);
                assertThat(stats.getUsage(0).getTotal()).isBetween(40 * MIB, 64 * MIB);
                assertThat(stats.getUsage(1).getUsed()).isPositive();
                assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
                csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target.toString()));
                assertThat(target).doesNotExist();
                csi.node.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
                csi.node.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
                csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId(node).build());
                assertThat(uncheckedMounts()).isEmpty();
                assertThat(LoopDeviceSweeper.devicesUnder(dir)).isEmpty();
                csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            }
        });
    }

    @Test
    void readOnlyTargetsExpansionOnlineAndBlockVolumes() throws Exception {
        inProcess(csi -> {
            // xfs grows mounted without CAP_SYS_RESOURCE, which containers often lack (ext4 needs it online)
            var xfs = Csi.mount("xfs", Mode.SINGLE_NODE_WRITER);
            String id = csi.controller.createVolume(Csi.create("grow", 320 * MIB).toBuilder().clearVolumeCapabilities()
                    .addVolumeCapabilities(xfs).build()).getVolume().getVolumeId();
            Path staging = mkdirs(dir.resolve("staging"));
            Path target = dir.resolve("pod/mount");
            Path ro = dir.resolve("pod2/mount");
            csi.node.nodeStageVolume(Csi.stage(id, staging.toString()).toBuilder().setVolumeCapability(xfs).build());
            csi.node.nodePublishVolume(Csi.nodePublish(id, staging.toString(), target.toString()).toBuilder().setVolumeCapability(xfs).build());
            csi.node.nodePublishVolume(Csi.nodePublish(id, staging.toString(), ro.toString()).toBuilder().setVolumeCapability(xfs)
                    .setReadonly(true).build());
            assertThat(canWrite(ro.resolve("x"))).isFalse();
            assertThat(canWrite(target.resolve("x"))).isTrue();
            long before = total(csi, id, target);
            var grown = csi.controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(448 * MIB)).build());
            assertThat(grown.getNodeExpansionRequired()).isTrue();
            csi.node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id).setVolumePath(target.toString()).build());
            assertThat(total(csi, id, target)).isGreaterThan(before + 96 * MIB);
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, ro.toString()));
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target.toString()));
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
            csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());

            String raw = csi.controller.createVolume(Csi.create("raw", 64 * MIB).toBuilder().clearVolumeCapabilities()
                    .addVolumeCapabilities(Csi.block(Mode.SINGLE_NODE_WRITER)).build()).getVolume().getVolumeId();
            Path device = dir.resolve("pod3/dev");
            csi.node.nodeStageVolume(Csi.stage(raw, staging.toString()).toBuilder().setVolumeCapability(Csi.block(Mode.SINGLE_NODE_WRITER)).build());
            NodePublishVolumeRequest p = Csi.nodePublish(raw, staging.toString(), device.toString()).toBuilder()
                    .setVolumeCapability(Csi.block(Mode.SINGLE_NODE_WRITER)).build();
            csi.node.nodePublishVolume(p);
            csi.node.nodePublishVolume(p);
            assertThat(Files.isRegularFile(device)).as("a device node is bound over the file").isFalse();
            assertThat(Files.exists(device)).isTrue();
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(raw, device.toString()));
            assertThat(device).doesNotExist();
            csi.node.nodeUnstageVolume(Csi.unstage(raw, staging.toString()));
            assertThat(LoopDeviceSweeper.devicesUnder(dir)).isEmpty();
            csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(raw).build());
        });
    }

    @Test
    void killedAtRandomPointsTheRetriesConvergeWithNothingLeakedAndNoReformat() throws Exception {
        long seed = Long.getLong("csi.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path staging = mkdirs(dir.resolve("staging"));
        Path target = dir.resolve("pod/mount");
        String id;
        String marker = "written once, before any crash";
        LocalFsPlugin.Child child = LocalFsPlugin.Child.start(dir);
        try (CsiClient csi = new CsiClient(LocalFsPlugin.socket(dir))) {
            id = csi.controller.createVolume(Csi.create("crash", 64 * MIB)).getVolume().getVolumeId();
            csi.node.nodeStageVolume(Csi.stage(id, staging.toString()));
            write(staging.resolve("marker"), marker);
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
        }
        List<String> steps = List.of("stage", "publish", "unpublish", "unstage");
        for (int round = 0; round < 3; round++) {
            for (String step : steps) {
                long delay = random.nextInt(600);
                try (CsiClient csi = new CsiClient(LocalFsPlugin.socket(dir))) {
                    ListenableFuture<?> call = call(csi, step, id, staging, target);
                    Thread.sleep(delay);
                    child.kill();
                    try {
                        call.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        // killed before it answered: the orchestrator retries
                    }
                }
                child = LocalFsPlugin.Child.start(dir);
                try (CsiClient csi = new CsiClient(LocalFsPlugin.socket(dir))) {
                    retry(() -> call(csi, step, id, staging, target).get(60, TimeUnit.SECONDS), step + " (seed " + seed + ")");
                    retry(() -> call(csi, step, id, staging, target).get(60, TimeUnit.SECONDS), step + " again (seed " + seed + ")");
                }
                String where = "after " + step + " in round " + round + ", killed after " + delay + " ms (seed " + seed + ")";
                boolean staged = !step.equals("unstage");
                assertThat(mountsUnder(staging.getParent()).contains(staging)).as(where).isEqualTo(staged);
                if (staged) {
                    assertThat(staging.resolve("marker")).as(where).hasContent(marker);
                }
                if (step.equals("publish")) {
                    assertThat(target.resolve("marker")).as(where).hasContent(marker);
                } else {
                    assertThat(target).as(where).doesNotExist();
                }
                if (step.equals("unstage")) {
                    assertThat(mountsUnder(dir)).as(where).isEmpty();
                    assertThat(LoopDeviceSweeper.devicesUnder(dir)).as(where).isEmpty();
                }
            }
        }
        try (CsiClient csi = new CsiClient(LocalFsPlugin.socket(dir))) {
            csi.node.nodeStageVolume(Csi.stage(id, staging.toString()));
            assertThat(staging.resolve("marker")).as("no re-format (seed " + seed + ")").hasContent(marker);
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
            csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        } finally {
            child.close();
        }
        assertThat(mountsUnder(dir)).isEmpty();
        assertThat(LoopDeviceSweeper.devicesUnder(dir)).isEmpty();
        assertThat(Files.list(dir.resolve("state")).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                .as("no volume record left").isEmpty();
    }

    private static ListenableFuture<?> call(CsiClient csi, String step, String id, Path staging, Path target) {
        switch (step) {
            case "stage":
                return csi.nodeAsync.nodeStageVolume(Csi.stage(id, staging.toString()));
            case "publish":
                return csi.nodeAsync.nodePublishVolume(Csi.nodePublish(id, staging.toString(), target.toString()));
            case "unpublish":
                return csi.nodeAsync.nodeUnpublishVolume(Csi.nodeUnpublish(id, target.toString()));
            default:
                return csi.nodeAsync.nodeUnstageVolume(Csi.unstage(id, staging.toString()));
        }
    }

    /** As an orchestrator does: repeat while the plugin answers ABORTED or UNAVAILABLE (bounded). */
    private static void retry(Checked call, String what) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                Status.Code code = e.getCause() instanceof StatusRuntimeException s ? s.getStatus().getCode() : Status.Code.UNKNOWN;
                if (attempt >= 10 || (code != Status.Code.ABORTED && code != Status.Code.UNAVAILABLE)) {
                    throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
                }
                Thread.sleep(200);
            }
        }
    }

    @FunctionalInterface
    private interface Checked {
        void run() throws Exception;
    }

    private List<Path> uncheckedMounts() {
        try {
            return mountsUnder(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long total(CsiClient csi, String id, Path path) {
        return csi.node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id).setVolumePath(path.toString()).build())
                .getUsage(0).getTotal();
    }

    private static boolean canWrite(Path file) {
        try {
            Files.writeString(file, "x");
            Files.delete(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
