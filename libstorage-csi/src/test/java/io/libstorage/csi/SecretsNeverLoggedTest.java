package io.libstorage.csi;

import io.grpc.StatusRuntimeException;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.proto.CapacityRange;
import io.libstorage.csi.proto.ControllerExpandVolumeRequest;
import io.libstorage.csi.proto.ControllerUnpublishVolumeRequest;
import io.libstorage.csi.proto.CreateSnapshotRequest;
import io.libstorage.csi.proto.DeleteSnapshotRequest;
import io.libstorage.csi.proto.DeleteVolumeRequest;
import io.libstorage.csi.proto.ListSnapshotsRequest;
import io.libstorage.csi.proto.NodeExpandVolumeRequest;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.tck.InMemoryLibStorage;
import io.libstorage.tck.SecretLeaks;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.libstorage.csi.Csi.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every request type that carries a {@code secrets} map, sent while the plugin's loggers are at TRACE
 * (test resources' simplelogger.properties): the log shows the calls and their secret keys, never a
 * secret value in any encoding ({@link SecretLeaks}) — also when the call is refused.
 */
class SecretsNeverLoggedTest {
    private static final Path LOG = Path.of("target/csi-tests.log");
    private static final Map<String, String> SECRETS = Map.of(
            "password", "Pa55:w0rd/with+chars=", "token", "tok-0123456789abcdef");

    @Test
    void secretValuesNeverReachTheLogAtTrace() throws Exception {
        Path dir = Files.createTempDirectory("csi-secrets");
        try (InMemoryCluster cluster = InMemoryCluster.create();
             LibStorage storage = InMemoryLibStorage.onHost(cluster, "node-a");
             CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(dir.resolve("csi.sock"))).start();
             CsiClient csi = new CsiClient(plugin.socket())) {
            String staging = Files.createDirectories(dir.resolve("staging")).toString();
            String target = dir.resolve("target").toString();
            String id = csi.controller.createVolume(Csi.create("secret-vol", 64 * MIB).toBuilder().putAllSecrets(SECRETS).build())
                    .getVolume().getVolumeId();
            csi.controller.controllerPublishVolume(Csi.publish(id, "node-a").toBuilder().putAllSecrets(SECRETS).build());
            csi.node.nodeStageVolume(Csi.stage(id, staging).toBuilder().putAllSecrets(SECRETS).build());
            csi.node.nodePublishVolume(Csi.nodePublish(id, staging, target).toBuilder().putAllSecrets(SECRETS).build());
            String snap = csi.controller.createSnapshot(CreateSnapshotRequest.newBuilder().setSourceVolumeId(id).setName("s")
                    .putAllSecrets(SECRETS).build()).getSnapshot().getSnapshotId();
            csi.controller.listSnapshots(ListSnapshotsRequest.newBuilder().putAllSecrets(SECRETS).build());
            csi.controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id).putAllSecrets(SECRETS)
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(128 * MIB)).build());
            csi.node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id).setVolumePath(target).putAllSecrets(SECRETS).build());
            // refused calls log their request too
            assertThat(catchThrowable(() -> csi.node.nodeStageVolume(Csi.stage("no-such-volume", staging).toBuilder()
                    .putAllSecrets(SECRETS).build()))).isInstanceOf(StatusRuntimeException.class);
            assertThat(catchThrowable(() -> csi.controller.createVolume(Csi.create("", MIB).toBuilder().putAllSecrets(SECRETS).build())))
                    .isInstanceOf(StatusRuntimeException.class);
            csi.node.nodeUnpublishVolume(Csi.nodeUnpublish(id, target));
            csi.node.nodeUnstageVolume(Csi.unstage(id, staging));
            csi.controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snap).putAllSecrets(SECRETS).build());
            csi.controller.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(id).setNodeId("node-a")
                    .putAllSecrets(SECRETS).build());
            csi.controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).putAllSecrets(SECRETS).build());
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String logged = Files.readString(LOG);
        assertThat(logged).contains("TRACE io.libstorage.csi.rpc - CreateVolume answered")
                .contains("DEBUG io.libstorage.csi.rpc - NodeStageVolume")
                .contains("key: \"password\"").contains("******");
        assertThat(SecretLeaks.find(logged, SECRETS)).isEmpty();
    }
}
