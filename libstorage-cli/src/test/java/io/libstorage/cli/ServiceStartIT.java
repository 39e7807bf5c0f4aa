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
import java.util.ArrayList;
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
        return start(name, log, Map.of());
    }

    private Process start(String name, Path log, Map<String, String> environment, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("service", "start", "--name", name,
                "--socket-dir", launcher.dir.resolve("plugins").toString()));
        args.addAll(List.of(options));
        ProcessBuilder pb = launcher.builder(launcher.bin("libstorage"), args.toArray(String[]::new));
        pb.environment().putAll(environment);
        pb.redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** The default pid and ready files: under the state root of the launcher's configuration. */
    private Path serviceFile(String name, String suffix) {
        return launcher.dir.resolve("state").resolve("service").resolve(name + suffix);
    }

    /** Waits until the ready file names {@code process}; fails when the service dies first or after 60 s. */
    private Map<String, String> awaitReadyFile(Path readyFile, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Map<String, String> ready = readProperties(readyFile);
            if (Long.toString(process.pid()).equals(ready.get("pid"))) {
                return ready;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no ready file of pid " + process.pid() + " at " + readyFile + " (" + ready
                        + "); service output:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, String> readProperties(Path file) throws Exception {
        Map<String, String> out = new java.util.HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return out;
    }

    /** Starts the service {@code name} (output to {@code log}) and returns its socket once it exists. */
    private Path startAndAwaitSocket(String name, Path log) throws Exception {
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        service = start(name, log);
        awaitSocket(socket, log);
        return socket;
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
        Path log = launcher.dir.resolve("service.log");
        Path socket = startAndAwaitSocket(name, log);

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

    /**
     * The start over a state without records loads no JSON binding; the first request loads jackson-jr (the plugin
     * protocol's), and nothing in the service loads Jackson's databind (about 650 classes with the Java time module,
     * about 6 MiB of the idle service's memory).
     */
    @Test
    void aStartOverAnEmptyStateLoadsJsonOnlyForTheFirstRequestAndTheServiceNeverDatabind() throws Exception {
        String name = "lsjson" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path classes = launcher.dir.resolve("classes.log");
        Path log = launcher.dir.resolve("json.log");
        service = start(name, log, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes));
        awaitReadyFile(serviceFile(name, ".ready"), service, log);
        String jr = "com.fasterxml.jackson.jr.ob.JSON ";
        String databind = "com.fasterxml.jackson.databind.";
        assertThat(Files.readString(classes)).as("classes loaded by the start")
                .contains("io.libstorage.docker.DockerVolumePlugin ").doesNotContain(jr).doesNotContain(databind);

        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
            // records written and read (volumes.d, profiles, localfs metadata), answers with a volume in them
            client.create("jsonvol", Map.of("size", "16MiB"));
            assertThat(client.list()).extracting(DockerPluginClient.PluginVolume::name).contains("jsonvol");
            String mp = client.mount("jsonvol", "c1");
            assertThat(client.path("jsonvol")).contains(mp);
            client.unmount("jsonvol", "c1");
            client.remove("jsonvol");
        }
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(classes)).as("classes loaded by the time it stopped").contains(jr).doesNotContain(databind);
    }

    /**
     * Through a running service, the thin client's commands load classes of the command's own jar alone: not the
     * library's api (whose exceptions load only with an error), picocli, Jackson or a driver. With LIBSTORAGE_CDS=off
     * every class names the jar it came from.
     */
    @Test
    void theThinClientLoadsClassesOfTheCommandsJarAlone() throws Exception {
        String name = "libstorage"; // the socket `volume ls` goes to
        Path socket = startAndAwaitSocket(name, launcher.dir.resolve("thin.log"));
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
            client.create("thinvol", Map.of("size", "16MiB"));
        }
        Path classes = launcher.dir.resolve("thin-classes.log");
        launcher.env.put("LIBSTORAGE_CDS", "off");
        launcher.env.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
        Map<List<String>, String> commands = Map.of(
                List.of("dvdcli", "get", "--volumedriver=" + name, "--volumename=thinvol"), "thinvol\n",
                List.of("dvdcli", "list", "--volumedriver=" + name), "thinvol\n",
                List.of("libstorage", "volume", "ls", "thinvol", "-o", "json"), "\"thinvol\"");
        String jar = "libstorage-cli-";
        for (Map.Entry<List<String>, String> c : commands.entrySet()) {
            Files.deleteIfExists(classes);
            List<String> command = c.getKey();
            Launcher.Run run = launcher.run(launcher.bin(command.get(0)), command.subList(1, command.size()).toArray(String[]::new));
            assertThat(run.exit()).as(command + ": " + run).isZero();
            assertThat(run.out()).as(command.toString()).contains(c.getValue());
            List<String> fromJars = Files.readAllLines(classes).stream().filter(l -> l.contains(" source: file:")).toList();
            assertThat(fromJars).as(command.toString()).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).contains("/lib/" + jar))
                    .noneMatch(l -> l.contains("io.libstorage.api.") || l.contains("picocli.") || l.contains("com.fasterxml."));
        }
    }

    @Test
    void aSecondServiceOnTheSameSocketRefusesWithExitOneAndDoesNotReconcile() throws Exception {
        String name = "lsdup" + Long.toHexString(System.nanoTime());
        Path log = launcher.dir.resolve("first.log");
        Path socket = startAndAwaitSocket(name, log);
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
        Path readyFile = serviceFile(name, ".ready");
        Path pidFile = serviceFile(name, ".pid");
        Path log = launcher.dir.resolve("killed.log");
        service = start(name, log);
        awaitReadyFile(readyFile, service, log);
        long killed = service.pid();
        service.destroyForcibly(); // SIGKILL: no clean-up
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(socket).as("a SIGKILLed service leaves its socket").exists();
        assertThat(readProperties(readyFile)).as("and its ready file").containsEntry("pid", Long.toString(killed));
        assertThat(Files.readString(pidFile).strip()).as("and its pid file").isEqualTo(Long.toString(killed));

        Path log2 = launcher.dir.resolve("restarted.log");
        service = start(name, log2);
        // ready means: this process answers on the socket (the stale socket and ready file fooled nobody)
        Map<String, String> ready = awaitReadyFile(readyFile, service, log2);
        assertThat(ready).containsEntry("socket", socket.toString());
        assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(service.pid()));
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
        }
        assertThat(Files.readString(log2)).contains("serving on " + socket);
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log2)).isZero();
        assertThat(socket).doesNotExist();
        assertThat(readyFile).doesNotExist();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void thePidFileNamesTheRunningServiceRefusesASecondOneAndIsRemovedOnACleanStop() throws Exception {
        String name = "lspid" + Long.toHexString(System.nanoTime());
        Path pidFile = launcher.dir.resolve("run").resolve("custom.pid");
        Path readyFile = launcher.dir.resolve("run").resolve("custom.ready");
        Path log = launcher.dir.resolve("pid.log");
        service = start(name, log, Map.of(), "--pid-file", pidFile.toString(), "--ready-file", readyFile.toString());
        awaitReadyFile(readyFile, service, log);
        assertThat(Files.readString(pidFile)).isEqualTo(service.pid() + "\n");
        assertThat(serviceFile(name, ".pid")).as("--pid-file replaces the default").doesNotExist();

        // another socket directory, the same pid file: refused by the pid file's lock, naming the running one
        Launcher.Run second = launcher.libstorage("service", "start", "--name", name, "--socket-dir",
                launcher.dir.resolve("plugins2").toString(), "--pid-file", pidFile.toString(), "--ready-file", readyFile.toString());
        assertThat(second.exit()).as(second.toString()).isEqualTo(1);
        assertThat(second.err()).as(second.toString()).contains("another service holds " + pidFile + ".lock (pid " + service.pid())
                .doesNotContain("serving on");
        assertThat(Files.readString(pidFile)).as("the refused one left the pid file alone").isEqualTo(service.pid() + "\n");
        assertThat(readProperties(readyFile)).containsEntry("pid", Long.toString(service.pid()));

        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        assertThat(pidFile).doesNotExist();
        assertThat(readyFile).doesNotExist();
    }

    @Test
    void withNotifySocketItSendsReadyOnceItsSocketAnswersAndWritesNoReadyFile() throws Exception {
        Prerequisites.requireCommands("python3", "systemd-notify");
        String name = "lsnfy" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path notifySocket = launcher.dir.resolve("notify.sock");
        Path received = launcher.dir.resolve("notifications.txt");
        // JDK 17 has no unix datagram sockets: a python3 service manager stand-in receives the notification
        // and, at that moment, asks the plugin's socket for the Docker handshake
        Process manager = new ProcessBuilder("python3", "-c", NOTIFY_RECEIVER, notifySocket.toString(), socket.toString())
                .redirectErrorStream(true).redirectOutput(received.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(notifySocket)) {
                assertThat(manager.isAlive()).as(Files.readString(received)).isTrue();
                assertThat(System.nanoTime()).as("the receiver did not bind").isLessThan(deadline);
                Thread.sleep(20);
            }
            Path log = launcher.dir.resolve("notify.log");
            service = start(name, log, Map.of("NOTIFY_SOCKET", notifySocket.toString()));
            assertThat(manager.waitFor(90, TimeUnit.SECONDS)).as("no notification within 90 s; service output:\n"
                    + Files.readString(log)).isTrue();
            String notifications = Files.readString(received);
            assertThat(manager.exitValue()).as(notifications).isZero();
            assertThat(notifications).as(notifications)
                    .contains("message: READY=1")
                    .contains("STATUS=serving on " + socket)
                    .contains("activate: HTTP/1.1 200").contains("VolumeDriver");
            assertThat(serviceFile(name, ".ready")).as("systemd was told; no ready file").doesNotExist();
            assertThat(Files.readString(serviceFile(name, ".pid")).strip()).isEqualTo(Long.toString(service.pid()));

            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            manager.destroyForcibly();
        }
    }

    /**
     * argv: NOTIFY_SOCKET path, plugin socket. Receives datagrams until READY=1 (closing any descriptor passed
     * along, as systemd does: systemd-notify waits for that), then sends Plugin.Activate to the plugin at once.
     */
    private static final String NOTIFY_RECEIVER = """
            import array, os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            s.settimeout(80)
            ready = False
            while not ready:
                msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(64))
                for level, kind, data in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds = array.array("i")
                        fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                        for fd in fds:
                            os.close(fd)
                text = msg.decode()
                print("message: " + text.replace("\\n", " | "), flush=True)
                ready = "READY=1" in text.split("\\n")
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.settimeout(10)
            c.connect(sys.argv[2])
            c.sendall(b"POST /Plugin.Activate HTTP/1.1\\r\\nHost: plugin\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
            answer = b""
            while True:
                chunk = c.recv(4096)
                if not chunk:
                    break
                answer += chunk
            print("activate: " + answer.decode(), flush=True)
            # the barrier systemd-notify sends after READY=1, so that it does not wait for it in vain
            try:
                s.settimeout(5)
                msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(64))
                for level, kind, data in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds = array.array("i")
                        fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                        for fd in fds:
                            os.close(fd)
            except socket.timeout:
                pass
            """;

    /**
     * Restores SIGINT's default disposition, then runs its arguments: a process started in the background by a
     * non-interactive shell (a CI job run with {@code &}) inherits SIGINT ignored, which no shell and no JVM can undo,
     * while a service started from a terminal or by systemd has it at its default.
     */
    private static final String WITH_DEFAULT_SIGINT =
            "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    @Test
    void sigintStopsItTheSameWay() throws Exception {
        Prerequisites.requireCommands("kill", "python3");
        String name = "lsint" + Long.toHexString(System.nanoTime());
        Path socket = launcher.dir.resolve("plugins").resolve(name + ".sock");
        Path log = launcher.dir.resolve("service-int.log");
        // the in-memory back end is not in the distribution; localfs without volumes needs no loop device
        ProcessBuilder pb = launcher.builder(launcher.bin("libstorage"), "service", "start", "--name", name,
                "--socket-dir", launcher.dir.resolve("plugins").toString());
        List<String> command = new ArrayList<>(List.of("python3", "-c", WITH_DEFAULT_SIGINT));
        command.addAll(pb.command());
        pb.command(command).redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        service = pb.start();
        awaitSocket(socket, log);
        Process kill = new ProcessBuilder(List.of("kill", "-INT", Long.toString(service.pid()))).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        assertThat(socket).doesNotExist();
    }
}
