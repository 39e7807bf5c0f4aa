package io.libstorage.docker;

import io.libstorage.api.ConsumerId;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines and per-volume serialisation: a Mount held by the OS (a gate the test opens) is answered
 * with a TIMEOUT error, other volumes and reads are served meanwhile, a call queued behind it never
 * runs, and the held Mount is undone when it finally completes (Docker will never Unmount it).
 */
class OperationDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    private InMemoryCluster cluster;
    private GatedOSDriver os;
    private LibStorage storage;
    private DockerVolumePlugin plugin;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.create();
        os = new GatedOSDriver(cluster.osDriver("host-1")).hold("slow");
        storage = InMemoryLibStorage.onHost(cluster, "host-1", b -> b.osDriver(os));
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("deadline").socketDirectory(dir)
                .operationTimeout(DEADLINE).build());
    }

    @AfterEach
    void stop() {
        os.open();
        try {
            if (plugin != null) {
                plugin.close();
            }
        } finally {
            cluster.close();
        }
    }

    @Test
    void aMountPastItsDeadlineIsAnsweredTimeoutAndUndoneWhenItCompletes() throws Exception {
        try (RawHttp a = new RawHttp(plugin.socketPath()); RawHttp b = new RawHttp(plugin.socketPath());
             RawHttp c = new RawHttp(plugin.socketPath())) {
            assertThat(a.post("/VolumeDriver.Create", "{\"Name\":\"slow\",\"Opts\":{}}").status()).isEqualTo(200);
            assertThat(a.post("/VolumeDriver.Create", "{\"Name\":\"fast\",\"Opts\":{}}").status()).isEqualTo(200);

            CompletableFuture<RawHttp.Reply> held = CompletableFuture.supplyAsync(
                    () -> a.post("/VolumeDriver.Mount", "{\"Name\":\"slow\",\"ID\":\"first\"}"));
            assertThat(os.entered.await(2, TimeUnit.MINUTES)).as("the gated call was reached").isTrue();
            // queued behind the held mount on the same volume
            CompletableFuture<RawHttp.Reply> queued = CompletableFuture.supplyAsync(
                    () -> b.post("/VolumeDriver.Mount", "{\"Name\":\"slow\",\"ID\":\"second\"}"));

            // meanwhile: reads of the held volume and everything on other volumes are served
            RawHttp.Reply get = c.post("/VolumeDriver.Get", "{\"Name\":\"slow\"}");
            assertThat(get.status()).isEqualTo(200);
            assertThat(c.post("/VolumeDriver.Mount", "{\"Name\":\"fast\",\"ID\":\"x\"}").status()).isEqualTo(200);
            assertThat(c.post("/VolumeDriver.List", "{}").status()).isEqualTo(200);

            RawHttp.Reply timedOut = held.get();
            assertThat(timedOut.status()).isEqualTo(500);
            assertThat(timedOut.code()).isEqualTo("TIMEOUT");
            assertThat(timedOut.err()).startsWith("mount failed: VolumeDriver.Mount (still running; when it completes it is undone")
                    .contains("did not finish within 4000 ms").contains("volume=slow host=host-1 backend=memory");
            RawHttp.Reply neverRan = queued.get();
            assertThat(neverRan.code()).isEqualTo("TIMEOUT");
            assertThat(neverRan.err()).contains("still waiting behind an earlier call on this volume and will not run");

            os.open();
            // serialised behind the held mount and its undo, so when this returns both are done
            assertThat(c.post("/VolumeDriver.Unmount", "{\"Name\":\"slow\",\"ID\":\"nobody\"}").status()).isEqualTo(200);
            assertThat(storage.inspect("slow").orElseThrow().consumers()).isEmpty();
            assertThat(storage.path("slow")).isEmpty();
            assertThat(cluster.mappingsOf("slow")).isEmpty();
            assertThat(storage.inspect("fast").orElseThrow().consumers()).containsExactly(ConsumerId.of("x"));

            // the volume works normally afterwards
            assertThat(c.post("/VolumeDriver.Mount", "{\"Name\":\"slow\",\"ID\":\"third\"}").status()).isEqualTo(200);
            assertThat(storage.inspect("slow").orElseThrow().consumers()).containsExactly(ConsumerId.of("third"));
        }
    }

    @Test
    void anAbandonedMountOfAConsumerThatAlreadyHeldTheVolumeIsKept() throws Exception {
        try (RawHttp a = new RawHttp(plugin.socketPath()); RawHttp c = new RawHttp(plugin.socketPath())) {
            a.post("/VolumeDriver.Create", "{\"Name\":\"kept\",\"Opts\":{}}");
            // dvdcli's anonymous holder mounts; then its repeat mount (Mesos: the next container) is held
            assertThat(a.post("/VolumeDriver.Mount", "{\"Name\":\"kept\"}").status()).isEqualTo(200);
            os.holdMountTable("kept");
            CompletableFuture<RawHttp.Reply> repeat = CompletableFuture.supplyAsync(() -> a.post("/VolumeDriver.Mount", "{\"Name\":\"kept\"}"));
            assertThat(os.entered.await(2, TimeUnit.MINUTES)).as("the gated call was reached").isTrue();
            assertThat(repeat.get().code()).isEqualTo("TIMEOUT");
            os.open();
            c.post("/VolumeDriver.Unmount", "{\"Name\":\"kept\",\"ID\":\"nobody\"}");
            // the anonymous consumer held the volume before the abandoned call: undoing it would pull the
            // volume from under the running containers, so it stays
            assertThat(storage.inspect("kept").orElseThrow().consumers()).containsExactly(ConsumerId.ANONYMOUS);
            assertThat(storage.path("kept")).isPresent();
            assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);
        }
    }
}
