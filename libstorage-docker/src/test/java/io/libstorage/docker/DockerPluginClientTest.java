package io.libstorage.docker;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.StorageException;
import io.libstorage.core.LibStorage;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LibStorageExtension.class)
class DockerPluginClientTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void sendsWhatDvdcliSends() {
        try (FakePlugin fake = new FakePlugin(dir.resolve("fake.sock"))
                .answer("/Plugin.Activate", 200, "{\"Implements\":[\"VolumeDriver\"]}")
                .answer("/VolumeDriver.Mount", 200, "{\"Mountpoint\":\"/m\",\"Err\":\"\"}");
             DockerPluginClient c = DockerPluginClient.connect(dir.resolve("fake.sock"), T)) {
            c.activate();
            assertThat(c.mount("v")).isEqualTo("/m");
            c.mount("v", "abc");
            c.unmount("v");
            c.create("v");

            FakePlugin.Seen activate = fake.seen.get(0);
            assertThat(activate.method()).isEqualTo("POST");
            assertThat(activate.path()).isEqualTo("/Plugin.Activate");
            assertThat(activate.body()).isEmpty();
            assertThat(activate.headers().getOrDefault("content-length", "0")).isEqualTo("0");
            for (FakePlugin.Seen s : fake.seen) {
                assertThat(s.headers()).doesNotContainKey("content-type").doesNotContainKey("transfer-encoding");
                assertThat(s.headers()).containsEntry("accept", "application/vnd.docker.plugins.v1.2+json");
            }
            assertThat(fake.seen.get(1).body()).isEqualTo("{\"Name\":\"v\"}");
            assertThat(fake.seen.get(2).body()).isEqualTo("{\"Name\":\"v\",\"ID\":\"abc\"}");
            assertThat(fake.seen.get(3).body()).isEqualTo("{\"Name\":\"v\"}");
            assertThat(fake.seen.get(4).body()).isEqualTo("{\"Name\":\"v\",\"Opts\":null}");
        }
    }

    @Test
    void understandsOtherPluginsAnswers() {
        try (FakePlugin fake = new FakePlugin(dir.resolve("other.sock"))
                .answer("/VolumeDriver.Get", 200, "{\"Volume\":null}")
                .answer("/VolumeDriver.Capabilities", 404, "404 page not found")
                .answer("/VolumeDriver.Remove", 500, "{\"Error\":\"error detaching volume\"}")
                .answer("/VolumeDriver.Unmount", 500, "")
                .answer("/Plugin.Activate", 200, "{\"Implements\":[\"NetworkDriver\"]}");
             DockerPluginClient c = DockerPluginClient.connect(dir.resolve("other.sock"), T)) {
            assertThat(c.get("v")).isEmpty();
            assertThat(c.scope()).isEqualTo("local");
            assertThatThrownBy(() -> c.remove("v")).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("HTTP 500: {\"Error\":\"error detaching volume\"}");
            assertThatThrownBy(() -> c.unmount("v")).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("HTTP 500 with an empty body");
            assertThatThrownBy(c::activate).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("does not implement VolumeDriver");
            assertThat(fake.seen).extracting(FakePlugin.Seen::path).contains("/VolumeDriver.Capabilities", "/Plugin.Activate");
        }
    }

    @Test
    void pluginErrorsBecomeStorageExceptionsCarryingTheErrText(LibStorage storage) {
        try (DockerVolumePlugin plugin = DockerVolumePlugin.start(storage,
                PluginOptions.builder().name("client-test").socketDirectory(dir).build());
             DockerPluginClient c = DockerPluginClient.connect(plugin.socketPath(), T)) {
            assertThat(c.scope()).isEqualTo("global");
            assertThat(c.get("missing")).isEmpty();
            assertThatThrownBy(() -> c.create("v", Map.of("size", "-1")))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("option 'size': '-1' is not a positive size")
                    .hasMessageContaining("host=host-1 backend=memory");
            c.create("v", Map.of("size", "1"));
            c.mount("v");
            StorageException inUse = (StorageException) org.assertj.core.api.Assertions.catchThrowable(() -> c.remove("v"));
            assertThat(inUse).isInstanceOf(OperationFailedException.class);
            assertThat(inUse.getMessage()).startsWith("remove failed: remove failed: volume is in use")
                    .contains("(code VOLUME_IN_USE)")
                    .contains("backend=docker-plugin:" + plugin.socketPath());
            assertThat(c.get("v").orElseThrow().status()).containsEntry("consumers", java.util.List.of("<anonymous>"));
            c.unmount("v");
            c.remove("v");
            assertThat(c.list()).isEmpty();
        }
    }

    @Test
    void anAbsentOrDeadSocketIsARetryableBackendUnavailable(LibStorage storage) {
        assertThatThrownBy(() -> DockerPluginClient.connect(dir.resolve("nobody.sock"), T))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("no plugin socket at");
        DockerVolumePlugin plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("gone").socketDirectory(dir).build());
        try (DockerPluginClient c = DockerPluginClient.connect(plugin.socketPath(), T)) {
            c.activate();
            plugin.close();
            assertThatThrownBy(c::activate).isInstanceOfSatisfying(BackendUnavailableException.class,
                    e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("cannot reach the plugin at");
        }
    }
}
