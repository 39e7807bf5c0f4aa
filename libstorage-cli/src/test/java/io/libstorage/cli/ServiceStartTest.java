package io.libstorage.cli;

import io.libstorage.docker.DockerPluginClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            assertThat(client.get("fromsvc").orElseThrow().mountpoint()).isEqualTo(mp);
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
