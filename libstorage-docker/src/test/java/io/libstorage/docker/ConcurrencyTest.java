package io.libstorage.docker;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many callers at once on few volumes with a tiny operation pool: every call is answered, state is exact. */
@ExtendWith(LibStorageExtension.class)
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentMountsAndUnmountsOnFewVolumesConvergeWithATinyPool(LibStorage storage, InMemoryCluster cluster) throws Exception {
        List<String> volumes = List.of("va", "vb", "vc");
        int perVolume = 12;
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try (DockerVolumePlugin plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("conc").socketDirectory(dir)
                .maxConcurrentOperations(2).build())) {
            List<Future<Integer>> mounts = new ArrayList<>();
            for (int i = 0; i < perVolume; i++) {
                for (String v : volumes) {
                    String id = v + "-" + i;
                    mounts.add(callers.submit(() -> {
                        try (RawHttp h = new RawHttp(plugin.socketPath())) {
                            h.post("/Plugin.Activate", null);
                            int c = h.post("/VolumeDriver.Create", "{\"Name\":\"" + v + "\",\"Opts\":{\"size\":\"1\"}}").status();
                            int g = h.post("/VolumeDriver.Get", "{\"Name\":\"" + v + "\"}").status();
                            int m = h.post("/VolumeDriver.Mount", "{\"Name\":\"" + v + "\",\"ID\":\"" + id + "\"}").status();
                            return c == 200 && g == 200 ? m : -1;
                        }
                    }));
                }
            }
            for (Future<Integer> f : mounts) {
                assertThat(f.get()).isEqualTo(200);
            }
            for (String v : volumes) {
                assertThat(storage.inspect(v).orElseThrow().consumers()).hasSize(perVolume);
            }
            assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(volumes.size());
            assertThat(cluster.volumeCount()).isEqualTo(volumes.size());

            List<Future<Integer>> unmounts = new ArrayList<>();
            for (int i = 0; i < perVolume; i++) {
                for (String v : volumes) {
                    String id = v + "-" + i;
                    unmounts.add(callers.submit(() -> {
                        try (RawHttp h = new RawHttp(plugin.socketPath())) {
                            return h.post("/VolumeDriver.Unmount", "{\"Name\":\"" + v + "\",\"ID\":\"" + id + "\"}").status();
                        }
                    }));
                }
            }
            for (Future<Integer> f : unmounts) {
                assertThat(f.get()).isEqualTo(200);
            }
            for (String v : volumes) {
                assertThat(storage.inspect(v).orElseThrow().consumers()).isEmpty();
                assertThat(storage.path(v)).isEmpty();
            }
            assertThat(cluster.mountsOf("host-1")).isEmpty();
            assertThat(cluster.calls().count(OsOp.UNMOUNT)).isEqualTo(volumes.size());
        } finally {
            callers.shutdownNow();
        }
    }
}
