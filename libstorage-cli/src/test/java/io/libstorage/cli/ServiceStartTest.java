package io.libstorage.cli;

import io.libstorage.api.Feature;
import io.libstorage.docker.DockerPluginClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code service start} in this JVM over the in-memory drivers; termination as SIGTERM would trigger it. */
class ServiceStartTest {
    private final TestCli cli = new TestCli();

    @AfterEach
    void cleanUp() throws Exception {
        cli.terminate();
        cli.close();
    }

    @Test
    void servesThePluginUntilTerminatedThenRemovesTheSocketAndExitsZero() throws Exception {
        Path dir = cli.dir.resolve("sockets");
        Path socket = dir.resolve("svc.sock");
        CompletableFuture<TestCli.Run> service = CompletableFuture.supplyAsync(
                () -> cli.run("service", "start", "--name", "svc", "--socket-dir", dir.toString()));
        awaitSocket(socket, service);

        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
            assertThat(client.scope()).isEqualTo("global");
            client.create("fromsvc", java.util.Map.of("size", "1"));
            String mp = client.mount("fromsvc", "container-1");
            assertThat(client.get("fromsvc").orElseThrow().mountpoint()).contains(mp);
            assertThat(client.list()).extracting(DockerPluginClient.PluginVolume::name).containsExactly("fromsvc");
            // dvdcli through the service's socket
            cli.env.put("LIBSTORAGE_PLUGIN_DIR", dir.toString());
            assertThat(cli.dvdcli("path", "--volumedriver=svc", "--volumename=fromsvc").out()).isEqualTo(mp + "\n");
            client.unmount("fromsvc", "container-1");
            client.remove("fromsvc");
        }

        cli.terminate();
        TestCli.Run run = service.get(60, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(socket).doesNotExist();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theAutoScopeFollowsTheBackEndsFeatures() throws Exception {
        Path dir = cli.dir.resolve("sockets");
        cli.cluster().disable(Feature.REMOTE_ATTACH);
        assertThat(scopeServed(dir, "auto", "--name", "auto")).as("no other host attaches its volumes").isEqualTo("local");
        assertThat(scopeServed(dir, "explicit", "--name", "explicit", "--scope", "Global")).isEqualTo("global");

        TestCli.Run bad = cli.run("service", "start", "--name", "bad", "--socket-dir", dir.toString(), "--scope", "cluster");
        assertThat(bad.exit()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("'cluster' is neither 'global' nor 'local'");
        assertThat(dir.resolve("bad.sock")).doesNotExist();
    }

    /** Starts the service with {@code args}, returns the scope it answers and stops it. */
    private String scopeServed(Path dir, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("service", "start", "--socket-dir", dir.toString(), "--no-reconcile"));
        command.addAll(List.of(args));
        CompletableFuture<TestCli.Run> service = CompletableFuture.supplyAsync(() -> cli.run(command.toArray(String[]::new)));
        Path socket = dir.resolve(name + ".sock");
        awaitServing(socket, service);
        String scope;
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            scope = client.scope();
        }
        cli.terminate();
        TestCli.Run run = service.get(60, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.toString()).isZero();
        return scope;
    }

    @Test
    void aSocketThatIsServedAlreadyIsAnError() throws Exception {
        Path dir = cli.dir.resolve("sockets");
        Path socket = dir.resolve("twice.sock");
        CompletableFuture<TestCli.Run> first = CompletableFuture.supplyAsync(
                () -> cli.run("service", "start", "--name", "twice", "--socket-dir", dir.toString(), "--no-reconcile"));
        awaitSocket(socket, first);
        TestCli.Run second = cli.run("service", "start", "--name", "twice", "--socket-dir", dir.toString());
        assertThat(second.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(second.errLines()).hasSize(1);
        assertThat(second.err()).contains(socket.toString());
        cli.terminate();
        assertThat(first.get(60, TimeUnit.SECONDS).exit()).isZero();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aSecondStartRefusesBeforeItReconcilesWritesStateOrCallsTheBackEnd() throws Exception {
        Path dir = cli.dir.resolve("sockets");
        Path socket = dir.resolve("once.sock");
        CompletableFuture<TestCli.Run> first = CompletableFuture.supplyAsync(
                () -> cli.run("service", "start", "--name", "once", "--socket-dir", dir.toString()));
        awaitSocket(socket, first);
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.create("held", java.util.Map.of("size", "1"));
            client.mount("held", "container-1");
        }
        String callsBefore = cli.cluster().calls().toString();
        java.util.Map<Path, String> stateBefore = snapshot(cli.dir.resolve("state"));
        assertThat(stateBefore).isNotEmpty();

        TestCli.Run second = cli.run("service", "start", "--name", "once", "--socket-dir", dir.toString());

        assertThat(second.exit()).as(second.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(second.errLines()).as(second.toString()).hasSize(1);
        assertThat(second.err()).contains("another process is serving " + socket)
                .contains("a plugin with this name is already running");
        assertThat(cli.cluster().calls().toString()).as("no back-end or OS call: no reconcile, no driver").isEqualTo(callsBefore);
        assertThat(snapshot(cli.dir.resolve("state"))).as("no state file created, changed or removed").isEqualTo(stateBefore);
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            assertThat(client.get("held").orElseThrow().mountpoint()).as("the first one still serves").isPresent();
            client.unmount("held", "container-1");
        }
        cli.terminate();
        assertThat(first.get(60, TimeUnit.SECONDS).exit()).isZero();
    }

    @Test
    void aStaleSocketWithoutAListenerIsReplaced() throws Exception {
        Path dir = Files.createDirectories(cli.dir.resolve("sockets"));
        Path socket = dir.resolve("stale.sock");
        // what a SIGKILLed service leaves behind: the socket file, nobody listening
        try (java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        CompletableFuture<TestCli.Run> service = CompletableFuture.supplyAsync(
                () -> cli.run("service", "start", "--name", "stale", "--socket-dir", dir.toString()));
        awaitServing(socket, service);
        try (DockerPluginClient client = DockerPluginClient.connect(socket, Duration.ofSeconds(30))) {
            client.activate();
        }
        cli.terminate();
        assertThat(service.get(60, TimeUnit.SECONDS).exit()).isZero();
        assertThat(socket).doesNotExist();
    }

    /** Every file under {@code root} with its size and modification time. */
    private static java.util.Map<Path, String> snapshot(Path root) throws java.io.IOException {
        java.util.Map<Path, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                out.put(root.relativize(p), a.isDirectory() ? "dir " + a.lastModifiedTime() : a.size() + " " + a.lastModifiedTime());
            }
        }
        return out;
    }

    static void awaitServing(Path socket, CompletableFuture<TestCli.Run> service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepting(socket)) {
            if (service.isDone()) {
                throw new AssertionError("the service ended before serving: " + service.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing serves " + socket + " after 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static boolean accepting(Path socket) {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            return ch.connect(java.net.UnixDomainSocketAddress.of(socket));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void awaitSocket(Path socket, CompletableFuture<TestCli.Run> service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            if (service.isDone()) {
                throw new AssertionError("the service ended before serving: " + service.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no socket at " + socket + " after 60 s");
            }
            Thread.sleep(20);
        }
    }
}
