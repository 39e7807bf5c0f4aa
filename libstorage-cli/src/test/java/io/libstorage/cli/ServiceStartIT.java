package io.libstorage.cli;

import io.libstorage.docker.DockerPluginClient;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/libstorage service start} as a child process over localfs (real loop devices): the plugin
 * answers on its socket, dvdcli goes through it, and SIGTERM or SIGINT stops it with exit status 0 and
 * the socket removed.
 */
class ServiceStartIT {
    private Launcher launcher;
    private Process service;

    @BeforeEach
    void setUp() throws Exception {
        launcher = new Launcher();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (launcher != null) {
            launcher.close();
        }
    }

    private Process start(String name, Path log) throws Exception {
        ProcessBuilder pb = launcher.builder(launcher.bin("libstorage"), "service", "start", "--name", name,
                "--socket-dir", launcher.dir.resolve("plugins").toString());
        pb.redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    private void awaitSocket(Path socket, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            if (!service.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no socket at " + socket + "; service output:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void sigtermStopsThePluginCleanlyWithExitStatusZero() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount", "blkid");
        String name = "lsit" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path log = launcher.dir.resolve("service.log");
        service = start(name, log);
        awaitSocket(socket, log);

        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(60))) {
            client.activate();
            assertThat(client.scope()).as("localfs is a local back end").isEqualTo("local");
            client.create("svcvol", Map.of("size", "64MiB"));
            String mp = client.mount("svcvol", "container-1");
            assertThat(Files.isDirectory(Path.of(mp))).isTrue();

            // dvdcli through the service's socket: the same mount, one more (anonymous) consumer
            Launcher.Run dv = launcher.dvdcli("mount", "--volumedriver=" + name, "--volumename=svcvol");
            assertThat(dv.exit()).as(dv.toString()).isZero();
            assertThat(dv.out()).isEqualTo(mp + "\n");
            assertThat(launcher.dvdcli("unmount", "--volumedriver=" + name, "--volumename=svcvol").exit()).isZero();
            assertThat(client.get("svcvol").orElseThrow().mountpoint()).as("container-1 still holds it").contains(mp);

            client.unmount("svcvol", "container-1");
            assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).isEmpty();
            client.remove("svcvol");
        }

        service.destroy(); // SIGTERM
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(service.exitValue()).as(output).isZero();
        assertThat(socket).doesNotExist();
        assertThat(output).contains("serving on " + socket).contains("stopped; removed " + socket);
    }

    @Test
    void aSecondServiceOnTheSameSocketRefusesWithExitOneAndDoesNotReconcile() throws Exception {
        String name = "lsdup" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path log = launcher.dir.resolve("first.log");
        service = start(name, log);
        awaitSocket(socket, log);
        assertThat(Files.readString(log)).contains("reconcile");

        Launcher.Run second = launcher.libstorage("service", "start", "--name", name,
                "--socket-dir", launcher.dir.resolve("plugins").toString());
        assertThat(second.exit()).as(second.toString()).isEqualTo(1);
        assertThat(second.err()).as(second.toString())
                .contains("another process is serving " + socket)
                .doesNotContain("reconcile").doesNotContain("serving on");
        assertThat(second.out()).isEmpty();
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate(); // the first one still serves
        }
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log)).isZero();
    }

    @Test
    void theSocketLeftBySigkillIsReplacedByTheNextStart() throws Exception {
        String name = "lskill" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path log = launcher.dir.resolve("killed.log");
        service = start(name, log);
        awaitSocket(socket, log);
        service.destroyForcibly(); // SIGKILL: no clean-up
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(socket).as("a SIGKILLed service leaves its socket").exists();

        Path log2 = launcher.dir.resolve("restarted.log");
        service = start(name, log2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log2).contains("serving on " + socket)) {
            assertThat(service.isAlive()).as(Files.readString(log2)).isTrue();
            assertThat(System.nanoTime()).as("not serving after 60 s: " + Files.readString(log2)).isLessThan(deadline);
            Thread.sleep(50);
        }
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
        }
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log2)).isZero();
        assertThat(socket).doesNotExist();
    }

    @Test
    void sigintStopsItTheSameWay() throws Exception {
        Prerequisites.requireCommands("kill");
        String name = "lsint" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path log = launcher.dir.resolve("service-int.log");
        // the in-memory back end is not in the distribution; localfs without volumes needs no loop device
        service = start(name, log);
        awaitSocket(socket, log);
        Process kill = new ProcessBuilder(List.of("kill", "-INT", Long.toString(service.pid()))).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        assertThat(socket).doesNotExist();
    }
}
