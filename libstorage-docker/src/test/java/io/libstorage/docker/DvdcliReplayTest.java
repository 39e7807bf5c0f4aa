package io.libstorage.docker;

import io.libstorage.api.ConsumerId;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays of what dvdcli (and so Mesos) sends: a new process per command, so Activate before every
 * call; Mount and Unmount without an ID; Mesos mounts once per container and unmounts once after the
 * last container. See mesos-and-dvdcli.md §3.
 */
@ExtendWith(LibStorageExtension.class)
class DvdcliReplayTest {
    @TempDir
    Path dir;
    private DockerVolumePlugin plugin;
    private LibStorage storage;
    private InMemoryCluster cluster;

    @BeforeEach
    void start(LibStorage storage, InMemoryCluster cluster) {
        this.storage = storage;
        this.cluster = cluster;
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("dvd" + UUID.randomUUID().toString().substring(0, 8))
                .socketDirectory(dir).build());
    }

    @AfterEach
    void stop() {
        plugin.close();
    }

    /** One dvdcli invocation: a fresh connection, Activate, then the command's calls. */
    private DockerPluginClient dvdcli() {
        DockerPluginClient c = DockerPluginClient.connect(plugin.socketPath(), Duration.ofSeconds(30));
        c.activate();
        return c;
    }

    /** {@code dvdcli mount --volumename=N [--volumeopts=...]}: Get, Create on a miss, Mount without ID. */
    private String dvdcliMount(String name, Map<String, String> opts) {
        try (DockerPluginClient c = dvdcli()) {
            if (c.get(name).isEmpty()) {
                if (opts == null) {
                    c.create(name);
                } else {
                    c.create(name, opts);
                }
            }
            return c.mount(name);
        }
    }

    /** {@code dvdcli unmount --volumename=N}: Get, Unmount without ID. */
    private void dvdcliUnmount(String name) {
        try (DockerPluginClient c = dvdcli()) {
            c.get(name);
            c.unmount(name);
        }
    }

    @Test
    void nAnonymousMountsAndOneAnonymousUnmountReleaseTheVolume() {
        String first = dvdcliMount("mvol", Map.of("newfstype", "xfs", "size", "5"));
        for (int i = 0; i < 4; i++) {
            assertThat(dvdcliMount("mvol", Map.of("newfstype", "xfs", "size", "5"))).isEqualTo(first);
        }
        assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);
        assertThat(cluster.filesystemOf("mvol")).contains("xfs");
        assertThat(storage.inspect("mvol").orElseThrow().consumers()).containsExactly(ConsumerId.ANONYMOUS);

        dvdcliUnmount("mvol");

        assertThat(storage.path("mvol")).isEmpty();
        assertThat(cluster.mountsOf("host-1")).isEmpty();
        assertThat(cluster.mappingsOf("mvol")).isEmpty();
        assertThat(cluster.calls().count(OsOp.UNMOUNT)).isEqualTo(1);
        // a second unmount (Mesos cleanup after an agent restart) is a no-op
        dvdcliUnmount("mvol");
        assertThat(cluster.calls().count(OsOp.UNMOUNT)).isEqualTo(1);
    }

    @Test
    void dvdcliPathUsesGetsMountpointWhileMounted() {
        String mp = dvdcliMount("pvol", null);
        try (DockerPluginClient c = dvdcli()) {
            assertThat(c.get("pvol").orElseThrow().mountpoint()).contains(mp);
            assertThat(c.path("pvol")).contains(mp);
        }
        assertThat(Files.isDirectory(Path.of(mp))).isTrue();
        dvdcliUnmount("pvol");
        try (DockerPluginClient c = dvdcli()) {
            assertThat(c.get("pvol").orElseThrow().mountpoint()).isEmpty();
            assertThat(c.path("pvol")).isEmpty();
        }
    }

    @Test
    void anonymousHolderAndDockerMountIdsInterleave() {
        String dockerA = "a".repeat(64);
        String dockerB = "b".repeat(64);
        try (DockerPluginClient docker = DockerPluginClient.connect(plugin.socketPath(), Duration.ofSeconds(30))) {
            docker.activate();
            docker.create("shared", Map.of());
            String p = docker.mount("shared", dockerA);
            assertThat(dvdcliMount("shared", null)).isEqualTo(p);
            assertThat(dvdcliMount("shared", null)).isEqualTo(p);
            assertThat(docker.mount("shared", dockerB)).isEqualTo(p);

            // the anonymous holder leaves: Docker's two mount sessions keep it mounted
            dvdcliUnmount("shared");
            assertThat(storage.inspect("shared").orElseThrow().consumers())
                    .containsExactlyInAnyOrder(ConsumerId.of(dockerA), ConsumerId.of(dockerB));
            assertThat(storage.path("shared")).contains(Path.of(p));

            docker.unmount("shared", dockerA);
            assertThat(storage.path("shared")).contains(Path.of(p));
            // Mesos comes back while B still runs
            assertThat(dvdcliMount("shared", null)).isEqualTo(p);
            docker.unmount("shared", dockerB);
            assertThat(storage.path("shared")).contains(Path.of(p));
            assertThat(storage.inspect("shared").orElseThrow().consumers()).containsExactly(ConsumerId.ANONYMOUS);

            dvdcliUnmount("shared");
            assertThat(storage.path("shared")).isEmpty();
            assertThat(cluster.mountsOf("host-1")).isEmpty();
            // it never lost its last holder before the end: one OS mount for all five sessions
            assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);
        }
    }

    @Test
    void dvdcliMountOfAnExistingVolumeDoesNotCreateAgain() {
        try (DockerPluginClient c = dvdcli()) {
            c.create("exists", Map.of("size", "2"));
        }
        long before = cluster.volumeCount();
        dvdcliMount("exists", Map.of("size", "7"));
        assertThat(cluster.volumeCount()).isEqualTo(before);
        assertThat(storage.inspect("exists").orElseThrow().volume().requestedSizeBytes()).isEqualTo(2L << 30);
        dvdcliUnmount("exists");
    }

    @Test
    void dvdcliListAndRemove() {
        dvdcliMount("one", null);
        dvdcliUnmount("one");
        try (DockerPluginClient c = dvdcli()) {
            c.create("two");
        }
        try (DockerPluginClient c = dvdcli()) {
            assertThat(c.list()).extracting(DockerPluginClient.PluginVolume::name).containsExactlyInAnyOrder("one", "two");
        }
        try (DockerPluginClient c = dvdcli()) {
            c.get("one");
            c.remove("one");
        }
        try (DockerPluginClient c = dvdcli()) {
            assertThat(c.get("one")).isEmpty();
            assertThat(c.list()).extracting(DockerPluginClient.PluginVolume::name).containsExactly("two");
        }
    }
}
