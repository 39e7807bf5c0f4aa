package io.libstorage.docker;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.InMemoryLibStorage;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start, stop and restart: socket files, spec files, and state surviving a plugin restart. */
class PluginLifecycleTest {
    @TempDir
    Path dir;
    private InMemoryCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = InMemoryCluster.create();
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private PluginOptions options(String name) {
        return PluginOptions.builder().name(name).socketDirectory(dir.resolve("run/plugins")).build();
    }

    @Test
    void defaultsFollowDockersConventions() {
        PluginOptions o = PluginOptions.builder().build();
        assertThat(o.name()).isEqualTo("libstorage");
        assertThat(o.socketPath()).isEqualTo(Path.of("/run/docker/plugins/libstorage.sock"));
        assertThat(o.scope()).as("taken from the back end's features at start").isEmpty();
        assertThat(o.operationTimeout()).isLessThan(Duration.ofMinutes(2));
        assertThat(o.specFile()).isEmpty();
        assertThat(o.reconcileOnStart()).isTrue();
        assertThatThrownBy(() -> PluginOptions.builder().name("../evil").build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("is not a plugin name");
        assertThatThrownBy(() -> PluginOptions.Scope.parse("cluster")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("neither 'global' nor 'local'");
        assertThat(PluginOptions.Scope.parse(" Local ")).isEqualTo(PluginOptions.Scope.LOCAL);
        assertThatThrownBy(() -> o.toBuilder().operationTimeout(Duration.ZERO).build()).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void closeRemovesTheSocketAndIsIdempotent() {
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        DockerVolumePlugin p = DockerVolumePlugin.start(storage, options("life"));
        assertThat(Files.exists(p.socketPath())).isTrue();
        assertThat(p.name()).isEqualTo("life");
        p.close();
        assertThat(Files.exists(p.socketPath())).isFalse();
        assertThat(p.isRunning()).isFalse();
        p.close();
    }

    @Test
    void aStaleSocketIsReplacedButALiveOneIsNot() throws Exception {
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        Path socket = options("stale").socketPath();
        Files.createDirectories(socket.getParent());
        // a socket file nobody listens on: left by a plugin that was killed
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(Files.exists(socket)).isTrue();
        try (DockerVolumePlugin p = DockerVolumePlugin.start(storage, options("stale"));
             DockerPluginClient c = DockerPluginClient.connect(p.socketPath(), Duration.ofSeconds(10))) {
            c.activate();
            assertThatThrownBy(() -> DockerVolumePlugin.start(storage, options("stale")))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("another process is serving " + socket);
            // the failed second start left the first one's socket alone
            c.activate();
        }
        Files.writeString(socket, "not a socket");
        assertThatThrownBy(() -> DockerVolumePlugin.start(storage, options("stale")))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("is not a socket");
        assertThat(Files.readString(socket)).isEqualTo("not a socket");
    }

    @Test
    void aStaleSocketOfAnotherUserIsLeftAlone() throws Exception {
        Prerequisites.requireRoot(); // to give the socket to another user
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        Path socket = options("foreign").socketPath();
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        Files.setAttribute(socket, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        Object inode = Files.getAttribute(socket, "unix:ino");

        assertThatThrownBy(() -> DockerVolumePlugin.start(storage, options("foreign")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("the stale socket " + socket + " belongs to user id 65534");
        assertThatThrownBy(() -> DockerVolumePlugin.checkSocketAvailable(options("foreign")))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("belongs to user id 65534");
        assertThat(Files.getAttribute(socket, "unix:ino")).as("the other user's socket is still there").isEqualTo(inode);
    }

    @Test
    void aSecondStartOnALiveSocketRefusesBeforeItReconciles() {
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        try (DockerVolumePlugin p = DockerVolumePlugin.start(storage, options("first"));
             DockerPluginClient c = DockerPluginClient.connect(p.socketPath(), Duration.ofSeconds(10))) {
            c.create("v", Map.of());
            c.mount("v", "a".repeat(64));
            String calls = cluster.calls().toString();

            assertThatThrownBy(() -> DockerVolumePlugin.checkSocketAvailable(options("first")))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("another process is serving " + p.socketPath());
            assertThatThrownBy(() -> DockerVolumePlugin.start(storage, options("first")))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("another process is serving " + p.socketPath());
            assertThat(cluster.calls().toString()).as("reconcile did not run: no back-end or OS call").isEqualTo(calls);
            DockerVolumePlugin.checkSocketAvailable(options("second"));
            assertThat(options("second").socketPath()).as("the check changes nothing").doesNotExist();
            assertThat(c.mount("v", "a".repeat(64))).isNotEmpty();
        }
    }

    @Test
    void aSpecFileIsWrittenAndRemovedWhenConfigured() throws Exception {
        LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");
        Path specDir = dir.resolve("etc/docker/plugins");
        DockerVolumePlugin p = DockerVolumePlugin.start(storage, options("spec").toBuilder().specDirectory(specDir).build());
        Path spec = specDir.resolve("spec.spec");
        assertThat(Files.readString(spec).strip()).isEqualTo("unix://" + p.socketPath());
        assertThat(Files.getPosixFilePermissions(spec)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        p.close();
        assertThat(Files.exists(spec)).isFalse();
    }

    @Test
    void aVolumeSurvivesAPluginRestartWhileAContainerRunsWithoutASecondMount() {
        LibStorage first = InMemoryLibStorage.onHost(cluster, "host-1");
        String running = "c".repeat(64);
        String mountpoint;
        try (DockerVolumePlugin p = DockerVolumePlugin.start(first, options("restart"));
             DockerPluginClient docker = DockerPluginClient.connect(p.socketPath(), Duration.ofSeconds(10))) {
            docker.create("data", Map.of("size", "1"));
            mountpoint = docker.mount("data", running);
        }
        first.close();
        assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);

        // a new process: a new LibStorage over the same state root, a new plugin
        LibStorage second = InMemoryLibStorage.onHost(cluster, "host-1");
        try (DockerVolumePlugin p = DockerVolumePlugin.start(second, options("restart"));
             DockerPluginClient docker = DockerPluginClient.connect(p.socketPath(), Duration.ofSeconds(10))) {
            DockerPluginClient.PluginVolume v = docker.get("data").orElseThrow();
            assertThat(v.mountpoint()).contains(mountpoint);
            assertThat(v.status()).containsEntry("consumers", java.util.List.of(running));
            // a second container starts: same mount, no second OS mount
            assertThat(docker.mount("data", "d".repeat(64))).isEqualTo(mountpoint);
            assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);
            // the container that ran across the restart stops: the other keeps the volume
            docker.unmount("data", running);
            assertThat(second.path("data")).isPresent();
            docker.unmount("data", "d".repeat(64));
            assertThat(second.path("data")).isEmpty();
            assertThat(cluster.mountsOf("host-1")).isEmpty();
            assertThat(cluster.calls().count(OsOp.UNMOUNT)).isEqualTo(1);
        }
    }

    @Test
    void reconcileAtStartDropsConsumersThatDidNotSurviveAReboot() {
        LibStorage before = InMemoryLibStorage.onHost(cluster, "host-1");
        try (DockerVolumePlugin p = DockerVolumePlugin.start(before, options("reboot"));
             DockerPluginClient docker = DockerPluginClient.connect(p.socketPath(), Duration.ofSeconds(10))) {
            docker.create("v", Map.of());
            docker.mount("v", "e".repeat(64));
        }
        before.close();
        cluster.reboot("host-1");
        LibStorage after = InMemoryLibStorage.onHost(cluster, "host-1");
        try (DockerVolumePlugin p = DockerVolumePlugin.start(after, options("reboot"))) {
            assertThat(after.inspect("v").orElseThrow().consumers()).isEmpty();
            assertThat(after.path("v")).isEmpty();
            assertThat(cluster.mappingsOf("v")).isEmpty();
            assertThat(p.isRunning()).isTrue();
        }
        assertThat(after.inspect("v").orElseThrow().consumers()).doesNotContain(ConsumerId.of("e".repeat(64)));
    }
}
