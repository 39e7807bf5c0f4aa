package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin against a real dockerd 20.10 (reference docker-volume-plugin.md §8), serving a
 * LibStorage that each subclass provides (in-memory: {@link DockerEngineIT}; localfs with real loop
 * devices and mounts: {@link DockerEngineLocalFsIT}). Needs root (CI runs as root; the Docker
 * binaries come from .ci/dockerd.sh). The plugin socket is /run/docker/plugins/&lt;unique name&gt;.sock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DockerEngineContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = DockerDaemon.IMAGE;

    protected final String name = "lsit" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    protected LibStorage storage;
    private DockerVolumePlugin plugin;
    private DockerDaemon docker;

    /** Checks prerequisites and prepares the back end (before the daemon starts). */
    protected abstract void prepare() throws Exception;

    /** A new LibStorage over the same state: called at start and again for each simulated plugin restart. */
    protected abstract LibStorage newLibStorage();

    /** The scope the plugin announces, taken from the back end's features (not configured). */
    protected abstract String scope();

    /** OS-level mounts and unmounts done by the library so far. */
    protected abstract long osMounts();

    protected abstract long osUnmounts();

    /** Whether nothing the library mounted is still mounted. */
    protected abstract boolean nothingMounted();

    /** Releases the back end; called last, also after failures. */
    protected abstract void cleanUp() throws Exception;

    private PluginOptions options() {
        return PluginOptions.builder().name(name).build();
    }

    @BeforeAll
    void start() throws Exception {
        List<Path> absent = DockerDaemon.absentOutsidePaths();
        try {
            prepare();
            docker = DockerDaemon.start(absent);
            storage = newLibStorage();
            plugin = DockerVolumePlugin.start(storage, options());
        } catch (Throwable t) {
            stop();
            throw t;
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (docker != null) {
                docker.docker(Duration.ofMinutes(1), "ps", "-aq"); // keeps the daemon's view in the log on failure
            }
        } finally {
            try {
                if (plugin != null) {
                    plugin.close();
                }
            } finally {
                try {
                    if (docker != null) {
                        docker.close();
                    }
                } finally {
                    try {
                        if (storage != null) {
                            storage.close();
                        }
                    } finally {
                        cleanUp();
                    }
                }
            }
        }
        if (plugin != null) {
            assertThat(plugin.socketPath()).doesNotExist();
        }
    }

    private DockerDaemon.Result run(String volume, String script) {
        return docker.docker("run", "--rm", "--network", "none", "--volume-driver", name, "-v", volume + ":/data", IMAGE,
                "sh", "-c", script);
    }

    private VolumeStatus status(String volume) {
        return storage.inspect(volume).orElseThrow();
    }

    private String where(String volume) {
        return "volume=" + volume + " host=" + storage.localHost().value() + " backend=" + storage.backend();
    }

    @Test
    void volumeCreateLsInspectAndRm() throws Exception {
        docker.docker("volume", "create", "-d", name, "-o", "size=1", "-o", "fstype=ext4", "withopts").ok();
        docker.docker("volume", "create", "-d", name, "noopts").ok();
        assertThat(status("withopts").volume().requestedSizeBytes()).isEqualTo(ByteSizes.GIB);
        assertThat(status("noopts").volume().requestedSizeBytes()).isEqualTo(storage.defaultSpec().sizeBytes());

        String ls = docker.docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}").ok().out();
        assertThat(ls.lines()).contains(name + " withopts", name + " noopts");

        JsonNode inspect = JSON.readTree(docker.docker("volume", "inspect", "withopts").ok().out()).get(0);
        assertThat(inspect.get("Driver").asText()).isEqualTo(name);
        assertThat(inspect.get("Scope").asText()).isEqualTo(scope());
        Instant created = OffsetDateTime.parse(inspect.get("CreatedAt").asText()).toInstant();
        assertThat(created).isBeforeOrEqualTo(Instant.now()).isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(inspect.at("/Status/requestedSize").asText()).isEqualTo("1GiB");
        assertThat(inspect.at("/Status/backend").asText()).isEqualTo(storage.backend());
        assertThat(inspect.at("/Status/fsType").asText()).isEqualTo("ext4");
        assertThat(inspect.at("/Options/size").asText()).isEqualTo("1");

        docker.docker("volume", "rm", "withopts", "noopts").ok();
        assertThat(storage.inspect("withopts")).isEmpty();
        assertThat(storage.inspect("noopts")).isEmpty();
        assertThat(docker.docker("volume", "ls", "-q").ok().out().lines()).doesNotContain("withopts", "noopts");
    }

    @Test
    void dataWrittenByOneContainerIsReadByTheNext() {
        long mountsBefore = osMounts();
        run("handover", "echo hello > /data/greeting").ok();
        // implicit creation (docker run --volume-driver): Opts null, the configured default spec
        assertThat(status("handover").volume().requestedSizeBytes()).isEqualTo(storage.defaultSpec().sizeBytes());
        assertThat(storage.path("handover")).isEmpty();
        assertThat(run("handover", "busybox cat /data/greeting").ok().out().strip()).isEqualTo("hello");
        // every session (create-time copy-up and start, for each container) was released again
        assertThat(status("handover").consumers()).isEmpty();
        assertThat(nothingMounted()).isTrue();
        assertThat(status("handover").volume().attachments()).isEmpty();
        assertThat(osMounts() - mountsBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void twoContainersShareOneVolume() {
        docker.docker("volume", "create", "-d", name, "shared").ok();
        run("shared", "echo shared > /data/file").ok();
        String first = docker.docker("run", "-d", "--network", "none", "-v", "shared:/data", IMAGE,
                "busybox", "sleep", "600").ok().out().strip();
        long mountsBefore = osMounts();
        String second = docker.docker("run", "-d", "--network", "none", "-v", "shared:/data", IMAGE,
                "busybox", "sleep", "600").ok().out().strip();
        var consumers = status("shared").consumers();
        assertThat(consumers).hasSize(2).noneMatch(ConsumerId::isAnonymous);
        // the second container's sessions joined the mounted volume: no second OS mount
        assertThat(osMounts()).isEqualTo(mountsBefore);

        docker.docker("rm", "-f", first).ok();
        assertThat(status("shared").consumers()).hasSize(1).isSubsetOf(consumers);
        assertThat(storage.path("shared")).isPresent();
        assertThat(docker.docker("exec", second, "busybox", "cat", "/data/file").ok().out().strip()).isEqualTo("shared");

        docker.docker("rm", "-f", second).ok();
        assertThat(status("shared").consumers()).isEmpty();
        assertThat(storage.path("shared")).isEmpty();
        assertThat(nothingMounted()).isTrue();
    }

    @Test
    void theVolumeSurvivesAPluginRestartWhileAContainerRuns() {
        docker.docker("volume", "create", "-d", name, "-o", "size=2", "durable").ok();
        run("durable", "echo before > /data/f").ok();
        String runner = docker.docker("run", "-d", "--network", "none", "-v", "durable:/data", IMAGE,
                "busybox", "sleep", "600").ok().out().strip();
        long mountsBefore = osMounts();
        long unmountsBefore = osUnmounts();
        var held = status("durable").consumers();
        assertThat(held).hasSize(1);

        // restart: the plugin and its LibStorage go away; a new process reloads the durable records
        plugin.close();
        storage.close();
        storage = newLibStorage();
        plugin = DockerVolumePlugin.start(storage, options());
        assertThat(status("durable").consumers()).isEqualTo(held);
        assertThat(storage.path("durable")).isPresent();

        // a second container while the first still runs: the same mount, not a second one
        assertThat(run("durable", "busybox cat /data/f").ok().out().strip()).isEqualTo("before");
        assertThat(docker.docker("exec", runner, "busybox", "cat", "/data/f").ok().out().strip()).isEqualTo("before");
        assertThat(osMounts()).isEqualTo(mountsBefore);
        assertThat(osUnmounts()).isEqualTo(unmountsBefore);
        assertThat(status("durable").consumers()).isEqualTo(held);

        // the container that ran across the restart stops: Docker unmounts its id; the last one out releases
        docker.docker("rm", "-f", runner).ok();
        assertThat(status("durable").consumers()).isEmpty();
        assertThat(storage.path("durable")).isEmpty();
        assertThat(osUnmounts() - unmountsBefore).isEqualTo(1);
        assertThat(nothingMounted()).isTrue();
    }

    @Test
    void failuresShowOurMessageInTheDockerCli() throws Exception {
        DockerDaemon.Result badSize = docker.docker("volume", "create", "-d", name, "-o", "size=lots", "bad1");
        assertThat(badSize.exit()).isNotZero();
        assertThat(badSize.err()).contains("VolumeDriver.Create: create failed: option 'size': 'lots' is not a size")
                .contains(where("bad1"));

        DockerDaemon.Result unknown = docker.docker("volume", "create", "-d", name, "-o", "colour=blue", "bad2");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("VolumeDriver.Create: create failed: unknown option 'colour'");
        assertThat(storage.inspect("bad1")).isEmpty();
        assertThat(storage.inspect("bad2")).isEmpty();

        // held by a dvdcli-style consumer (no Docker container references it, so Docker asks the plugin)
        docker.docker("volume", "create", "-d", name, "inuse").ok();
        try (DockerPluginClient dvdcli = DockerPluginClient.connect(plugin.socketPath(), Duration.ofSeconds(60))) {
            dvdcli.activate();
            dvdcli.mount("inuse");
            DockerDaemon.Result rm = docker.docker("volume", "rm", "inuse");
            assertThat(rm.exit()).isNotZero();
            assertThat(rm.err()).contains("VolumeDriver.Remove: remove failed: volume is in use: mounted on this host for consumers [<anonymous>]");
            assertThat(storage.inspect("inuse")).isPresent();
            dvdcli.unmount("inuse");
        }
        docker.docker("volume", "rm", "inuse").ok();
        assertThat(storage.inspect("inuse")).isEmpty();
    }

    @Test
    void dockerItselfRefusesToRemoveAVolumeAContainerReferences() {
        String c = docker.docker("create", "--network", "none", "--volume-driver", name, "-v", "referenced:/data", IMAGE,
                "sh", "-c", "true").ok().out().strip();
        DockerDaemon.Result rm = docker.docker("volume", "rm", "referenced");
        assertThat(rm.exit()).isNotZero();
        assertThat(rm.err()).contains("volume is in use");
        assertThat(storage.inspect("referenced")).isPresent();
        docker.docker("rm", c).ok();
        docker.docker("volume", "rm", "referenced").ok();
        assertThat(storage.inspect("referenced")).isEmpty();
    }

    @Test
    void theDaemonRunsPrivately() {
        assertThat(docker.root().resolve("docker.sock")).exists();
        assertThat(Files.exists(Path.of("/var/run/docker.sock")) && docker.root().startsWith("/var/run")).isFalse();
        assertThat(docker.docker("info", "--format", "{{.DockerRootDir}}").ok().out().strip())
                .isEqualTo(docker.root().resolve("data").toString());
        assertThat(Map.of("socket", plugin.socketPath().toString()))
                .containsEntry("socket", "/run/docker/plugins/" + name + ".sock");
    }
}
