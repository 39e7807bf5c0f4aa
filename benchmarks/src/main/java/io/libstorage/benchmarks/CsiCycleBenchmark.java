package io.libstorage.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.CsiEndpoint;
import io.libstorage.csi.CsiPlugin;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerGrpc;
import io.libstorage.csi.proto.ControllerPublishVolumeRequest;
import io.libstorage.csi.proto.ControllerUnpublishVolumeRequest;
import io.libstorage.csi.proto.CreateVolumeRequest;
import io.libstorage.csi.proto.DeleteVolumeRequest;
import io.libstorage.csi.proto.GetPluginInfoRequest;
import io.libstorage.csi.proto.IdentityGrpc;
import io.libstorage.csi.proto.NodeGetInfoRequest;
import io.libstorage.csi.proto.NodeGrpc;
import io.libstorage.csi.proto.NodePublishVolumeRequest;
import io.libstorage.csi.proto.NodeStageVolumeRequest;
import io.libstorage.csi.proto.NodeUnpublishVolumeRequest;
import io.libstorage.csi.proto.NodeUnstageVolumeRequest;
import io.libstorage.csi.proto.VolumeCapability;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Latency of the CSI cycle create → controller publish → stage → publish → unpublish → unstage →
 * controller unpublish → delete over localfs with real loop devices, ext4 and bind mounts, through the
 * plugin's unix socket (root). The gRPC share of each call is estimated by the round trip of
 * {@code GetPluginInfo}, which does no back-end or OS work: driver time = call time - that.
 *
 * <p>Usage: {@code CsiCycleBenchmark ROUNDS SIZE_MIB}. Prints medians and p90 per step.
 */
public final class CsiCycleBenchmark {
    private static final long MIB = 1024L * 1024;

    private CsiCycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 64) * MIB;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "csi-bench-").toRealPath();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (LibStorage storage = LibStorage.builder().storageDriver("localfs").storageOption("root", dir.resolve("localfs").toString())
                .stateRoot(dir.resolve("state")).build();
             CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(dir.resolve("csi.sock"))).start()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(plugin.socket().toString()))
                    .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
            var identity = IdentityGrpc.newBlockingStub(channel);
            var controller = ControllerGrpc.newBlockingStub(channel);
            var node = NodeGrpc.newBlockingStub(channel);
            String nodeId = node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId();
            VolumeCapability cap = VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
                    .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                    .build();
            String staging = Files.createDirectories(dir.resolve("staging")).toString();
            String target = dir.resolve("pod/mount").toString();

            Map<String, List<Long>> times = new LinkedHashMap<>();
            List<Long> noop = new ArrayList<>();
            for (int round = -2; round < rounds; round++) {      // two warm-up rounds
                boolean record = round >= 0;
                String name = "bench-" + (round + 2);
                String id = time(times, record, "CreateVolume", () -> controller.createVolume(CreateVolumeRequest.newBuilder().setName(name)
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size)).addVolumeCapabilities(cap).build())
                        .getVolume().getVolumeId());
                time(times, record, "ControllerPublishVolume", () -> controller.controllerPublishVolume(ControllerPublishVolumeRequest.newBuilder()
                        .setVolumeId(id).setNodeId(nodeId).setVolumeCapability(cap).build()));
                time(times, record, "NodeStageVolume", () -> node.nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(id)
                        .setStagingTargetPath(staging).setVolumeCapability(cap).build()));
                time(times, record, "NodePublishVolume", () -> node.nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(id)
                        .setStagingTargetPath(staging).setTargetPath(target).setVolumeCapability(cap).build()));
                time(times, record, "NodeUnpublishVolume", () -> node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                        .setVolumeId(id).setTargetPath(target).build()));
                time(times, record, "NodeUnstageVolume", () -> node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                        .setVolumeId(id).setStagingTargetPath(staging).build()));
                time(times, record, "ControllerUnpublishVolume", () -> controller.controllerUnpublishVolume(
                        ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId(nodeId).build()));
                time(times, record, "DeleteVolume", () -> controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()));
                for (int i = 0; i < 20; i++) {
                    long t = System.nanoTime();
                    identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
                    if (record) {
                        noop.add(System.nanoTime() - t);
                    }
                }
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            double rpc = median(noop);
            System.out.printf("rounds %d, %d MiB ext4 volumes; gRPC round trip (GetPluginInfo) median %.3f ms, p90 %.3f ms%n",
                    rounds, size / MIB, rpc, p90(noop));
            System.out.printf("| step | median ms | p90 ms | of which gRPC (est.) | driver (median - gRPC) |%n|---|---:|---:|---:|---:|%n");
            double total = 0;
            for (Map.Entry<String, List<Long>> e : times.entrySet()) {
                double m = median(e.getValue());
                total += m;
                System.out.printf("| %s | %.1f | %.1f | %.2f | %.1f |%n", e.getKey(), m, p90(e.getValue()), rpc, m - rpc);
            }
            System.out.printf("| whole cycle (sum of medians) | %.1f | | %.2f | %.1f |%n", total, rpc * times.size(), total - rpc * times.size());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static <T> T time(Map<String, List<Long>> times, boolean record, String step, Supplier<T> call) {
        long t = System.nanoTime();
        T result = call.get();
        if (record) {
            times.computeIfAbsent(step, k -> new ArrayList<>()).add(System.nanoTime() - t);
        }
        return result;
    }

    private static double median(List<Long> nanos) {
        return percentile(nanos, 0.5);
    }

    private static double p90(List<Long> nanos) {
        return percentile(nanos, 0.9);
    }

    private static double percentile(List<Long> nanos, double p) {
        long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(p * a.length))] / 1e6;
    }
}
