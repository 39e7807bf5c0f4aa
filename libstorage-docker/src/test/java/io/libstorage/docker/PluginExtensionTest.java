package io.libstorage.docker;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Extensions: {@code POST /<method>} answered with the handler's object, its failure as the protocol's error body. */
class PluginExtensionTest {
    @TempDir
    Path dir;
    private final InMemoryCluster cluster = InMemoryCluster.create();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void anExtensionAnswersItsMethodAndNothingElseChanges() {
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        PluginExtension echo = request -> {
            if ("boom".equals(request.get("Say"))) {
                throw new IllegalStateException("internal detail");
            }
            return Map.of("Heard", request.get("Say"), "Err", "");
        };
        try (DockerVolumePlugin p = DockerVolumePlugin.start(storage,
                PluginOptions.builder().name("ext").socketDirectory(dir).reconcileOnStart(false).build(), Map.of("Test.Echo", echo));
             RawHttp http = new RawHttp(p.socketPath())) {
            RawHttp.Reply ok = http.post("/Test.Echo", "{\"Say\":\"hi\",\"List\":[1,\"a\"]}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("Heard").asText()).isEqualTo("hi");

            RawHttp.Reply failed = http.post("/Test.Echo", "{\"Say\":\"boom\"}");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.code()).isEqualTo("OPERATION_FAILED");
            assertThat(failed.err()).doesNotContain("internal detail");

            RawHttp.Reply badJson = http.post("/Test.Echo", "[1]");
            assertThat(badJson.status()).isEqualTo(400);

            assertThat(http.post("/Test.Other", "{}").status()).isEqualTo(404);
            assertThat(http.post("/VolumeDriver.List", "{}").json().get("Volumes").isArray()).isTrue();
        }
        assertThatThrownBy(() -> DockerVolumePlugin.start(storage,
                PluginOptions.builder().name("ext2").socketDirectory(dir).reconcileOnStart(false).build(),
                Map.of("VolumeDriver.List", echo))).isInstanceOf(IllegalArgumentException.class);
        storage.close();
    }
}
