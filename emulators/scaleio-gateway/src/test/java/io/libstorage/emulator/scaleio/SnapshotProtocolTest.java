package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.libstorage.emulator.scaleio.ObjectsProtocolTest.href;
import static io.libstorage.emulator.scaleio.VolumeProtocolTest.error;
import static org.assertj.core.api.Assertions.assertThat;

/** snapshotVolumes and removeConsistencyGroupSnapshots (reference 3.7). */
class SnapshotProtocolTest {
    static ScaleIoGatewayEmulator gw;
    static GatewayClient client;
    static String pool;

    @BeforeAll
    static void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().snapshotsPerVTree(3).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        pool = client.poolId("pool1");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void snapshotsAreVolumesInTheSourceVTree() {
        String a = client.createVolume("snap-src-a", 9 * 1024 * 1024, pool);
        String b = client.createVolume("snap-src-b", 8, pool);
        JsonNode sys = client.get("/api/types/System/instances").json().get(0);
        Answer r = client.post(href(sys, "self") + "/action/snapshotVolumes", Map.of("snapshotDefs", List.of(
                Map.of("volumeId", a, "snapshotName", "snap-a"), Map.of("volumeId", b, "snapshotName", "snap-b"))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("volumeIdList", "snapshotGroupId");
        String group = r.json().get("snapshotGroupId").asText();
        String snapA = r.json().get("volumeIdList").get(0).asText();
        JsonNode src = client.volume(a);
        JsonNode snap = client.volume(snapA);
        assertThat(snap.get("volumeType").asText()).isEqualTo("Snapshot");
        assertThat(snap.get("ancestorVolumeId").asText()).isEqualTo(a);
        assertThat(snap.get("consistencyGroupId").asText()).isEqualTo(group);
        assertThat(snap.get("vtreeId").asText()).isEqualTo(src.get("vtreeId").asText());
        assertThat(snap.get("sizeInKb").asLong()).isEqualTo(src.get("sizeInKb").asLong());
        assertThat(snap.get("name").asText()).isEqualTo("snap-a");
        assertThat(snap.get("mappedSdcInfo").isNull()).isTrue();
        assertThat(href(snap, "/api/parent/relationship/ancestorVolumeId")).isEqualTo("/api/instances/Volume::" + a);
        assertThat(client.get("/api/instances/VTree::" + src.get("vtreeId").asText() + "/relationships/Volume").json())
                .extracting(v -> v.get("id").asText()).containsExactly(a, snapA);
        assertThat(client.get("/api/types/Volume/instances").json()).extracting(v -> v.get("id").asText()).contains(snapA);

        assertThat(client.post("/api/instances/System/action/removeConsistencyGroupSnapshots", Map.of("snapGroupId", group)).status())
                .isEqualTo(200);
        assertThat(client.get("/api/instances/Volume::" + snapA).status()).isEqualTo(500);
        assertThat(client.get("/api/instances/Volume::" + a).status()).isEqualTo(200);
    }

    @Test
    void snapshotNamesFollowTheVolumeNameRules() {
        String a = client.createVolume("snap-rules", 8, pool);
        assertThat(error(client.post("/api/instances/System/action/snapshotVolumes",
                Map.of("snapshotDefs", List.of(Map.of("volumeId", a, "snapshotName", "snap-rules")))))).startsWith("500/99/");
        assertThat(error(client.post("/api/instances/System/action/snapshotVolumes",
                Map.of("snapshotDefs", List.of(Map.of("volumeId", a, "snapshotName", "x".repeat(32))))))).startsWith("500/226/");
        assertThat(error(client.post("/api/instances/System/action/snapshotVolumes",
                Map.of("snapshotDefs", List.of(Map.of("volumeId", "00000000deadbeef")))))).startsWith("500/79/");
        assertThat(error(client.post("/api/instances/System/action/snapshotVolumes", "{}"))).startsWith("400/0/");
    }

    @Test
    void tooManySnapshotsInOneVTreeIs182() {
        String a = client.createVolume("snap-limit", 8, pool);
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/api/instances/System/action/snapshotVolumes", Map.of("snapshotDefs", List.of(Map.of("volumeId", a))))
                    .status()).isEqualTo(200);
        }
        assertThat(error(client.post("/api/instances/System/action/snapshotVolumes", Map.of("snapshotDefs", List.of(Map.of("volumeId", a))))))
                .isEqualTo("500/182/There are too many snapshots in the VTree");
    }

    @Test
    void snapshotsCanBeResizedAndMappedLikeVolumes() {
        String a = client.createVolume("snap-like-vol", 8, pool);
        String s = client.post("/api/instances/System/action/snapshotVolumes", Map.of("snapshotDefs", List.of(Map.of("volumeId", a))))
                .json().get("volumeIdList").get(0).asText();
        assertThat(client.post("/api/instances/Volume::" + s + "/action/setVolumeSize", Map.of("sizeInGB", "16")).status()).isEqualTo(200);
        assertThat(client.volume(s).get("sizeInKb").asLong()).isEqualTo(16L * 1024 * 1024);
        assertThat(client.volume(s).get("name").isNull()).isTrue();
    }
}
