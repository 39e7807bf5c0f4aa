package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.tck.InMemoryLibStorage;
import io.libstorage.tck.LibStorageExtension;
import io.libstorage.inmemory.StorageOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the plugin asks the back end: nothing for a repeated Mount, nor for Get and Path of a volume
 * mounted on this host (dockerd sends them around every container start); Get of any other volume asks
 * it, and shows the truth after another host took the volume. The scope follows the back end's features.
 */
@ExtendWith(LibStorageExtension.class)
class PluginBackEndCallsTest {
    private static final String ID_A = "46b79d9c" + "0".repeat(56);
    private static final String ID_B = "4268cc0d" + "1".repeat(56);

    @TempDir
    Path dir;
    private InMemoryCluster cluster;
    private DockerVolumePlugin plugin;
    private RawHttp http;

    @BeforeEach
    void start(LibStorage storage, InMemoryCluster cluster) {
        this.cluster = cluster;
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("calls").socketDirectory(dir).build());
        http = new RawHttp(plugin.socketPath());
    }

    @AfterEach
    void stop() {
        http.close();
        plugin.close();
    }

    private long backEndCalls() {
        HostId host = new HostId(LibStorageExtension.DEFAULT_HOST);
        return Arrays.stream(StorageOp.values()).mapToLong(op -> cluster.calls().count(host, op)).sum();
    }

    private RawHttp.Reply post(String endpoint, String body) {
        RawHttp.Reply r = http.post(endpoint, body);
        assertThat(r.status()).as(endpoint + ": " + r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void aRepeatedMountAndGetAndPathOfAMountedVolumeCostNoBackEndCallButGetOfAnotherAsksIt() {
        post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{}}");
        String mountpoint = post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText();
        cluster.calls().reset();

        assertThat(post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText())
                .isEqualTo(mountpoint);
        assertThat(backEndCalls()).as("a repeated Mount " + cluster.calls()).isZero();

        JsonNode got = post("/VolumeDriver.Get", "{\"Name\":\"v\"}").json().get("Volume");
        assertThat(got.get("Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(got.at("/Status/mounted").asBoolean()).isTrue();
        assertThat(got.at("/Status/consumers/0").asText()).isEqualTo(ID_A);
        assertThat(got.at("/Status/attachedTo/0").asText()).isEqualTo(LibStorageExtension.DEFAULT_HOST);
        assertThat(got.at("/Status/backend").asText()).isEqualTo("memory");
        assertThat(got.get("CreatedAt").asText()).isNotEmpty();
        assertThat(post("/VolumeDriver.Path", "{\"Name\":\"v\"}").json().get("Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(backEndCalls()).as("Get and Path of a mounted volume " + cluster.calls()).isZero();

        post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_B + "\"}");
        post("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"" + ID_B + "\"}");
        assertThat(backEndCalls()).as("a second consumer in and out " + cluster.calls()).isZero();

        // a volume that is not mounted here: only the back end knows it
        post("/VolumeDriver.Create", "{\"Name\":\"other\",\"Opts\":{}}");
        cluster.calls().reset();
        JsonNode other = post("/VolumeDriver.Get", "{\"Name\":\"other\"}").json().get("Volume");
        assertThat(other.has("Mountpoint")).isFalse();
        assertThat(other.at("/Status/mounted").asBoolean()).isFalse();
        assertThat(cluster.calls().count(StorageOp.FIND_BY_NAME)).isEqualTo(1);
    }

    @Test
    void afterAnotherHostTookTheVolumeGetShowsItsOwnerAndNoMountHere() {
        post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{}}");
        post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}");
        InMemoryLibStorage.onHost(cluster, "host-2").mount("v", ConsumerId.of("task-2"),
                MountOptions.builder().preemption(PreemptionPolicy.ALWAYS).build());

        JsonNode got = post("/VolumeDriver.Get", "{\"Name\":\"v\"}").json().get("Volume");
        assertThat(got.at("/Status/attachedTo").toString()).isEqualTo("[\"host-2\"]");
        assertThat(got.has("Mountpoint")).as(got.toString()).isFalse();
        assertThat(got.at("/Status/mounted").asBoolean()).isFalse();
        assertThat(got.at("/Status/consumers/0").asText()).as("recorded until its Unmount").isEqualTo(ID_A);
        assertThat(post("/VolumeDriver.Path", "{\"Name\":\"v\"}").json().has("Mountpoint")).isFalse();
    }

    @Test
    void theScopeFollowsTheBackEndsFeatures(LibStorage storage) {
        assertThat(post("/VolumeDriver.Capabilities", "{}").json().at("/Capabilities/Scope").asText()).isEqualTo("global");
        assertThat(plugin.scope()).isEqualTo(PluginOptions.Scope.GLOBAL);
        cluster.disable(Feature.REMOTE_ATTACH);
        try (DockerVolumePlugin local = DockerVolumePlugin.start(storage, PluginOptions.builder().name("calls-local")
                .socketDirectory(dir).reconcileOnStart(false).build());
             RawHttp h = new RawHttp(local.socketPath())) {
            assertThat(h.post("/VolumeDriver.Capabilities", "{}").json().at("/Capabilities/Scope").asText()).isEqualTo("local");
            assertThat(local.scope()).isEqualTo(PluginOptions.Scope.LOCAL);
        }
    }
}
