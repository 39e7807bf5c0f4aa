package io.libstorage.inmemory;

import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster is owned by whoever created it: its providers reach only it, and closing it leaves nothing. */
class InMemoryClusterTest {

    private static DriverContext context(List<ConfigKey> keys, Map<String, ?> raw) {
        return new DriverContext(DriverConfig.parse("memory", keys, raw), SystemProcessRunner.instance(), Clock.systemUTC());
    }

    @Test
    void itsProvidersCreateDriversOfThatClusterOnlyForTheConfiguredHost() {
        try (InMemoryCluster one = InMemoryCluster.create(); InMemoryCluster other = InMemoryCluster.create()) {
            StorageDriverProvider storage = one.storageDriverProvider();
            OSDriverProvider os = one.osDriverProvider();
            assertThat(storage.name()).isEqualTo("memory");
            assertThat(os.name()).isEqualTo("memory");

            StorageDriver driver = storage.create(context(storage.configKeys(), Map.of("host", "node-b")));
            driver.create("v", VolumeSpec.builder().sizeBytes(1L << 20).build());

            assertThat(driver.hostSide().localHost().value()).isEqualTo("node-b");
            assertThat(os.create(context(os.configKeys(), Map.of("host", "node-b"))).bootId()).startsWith("node-b-");
            assertThat(storage.create(context(storage.configKeys(), Map.of())).hostSide().localHost().value()).isEqualTo("host-1");
            assertThat(one.volumeCount()).isEqualTo(1);
            assertThat(other.volumeCount()).isZero();
        }
    }

    @Test
    void closeClosesWhatWasHandedToItInOrderThenDeletesTheDirectory() throws Exception {
        InMemoryCluster cluster = InMemoryCluster.create();
        Path hostDir = cluster.hostDirectory("host-1");
        Files.writeString(hostDir.resolve("state.json"), "{}");
        List<String> closed = new ArrayList<>();
        cluster.onClose(() -> closed.add("first " + Files.exists(hostDir)));
        cluster.onClose(() -> {
            throw new IllegalStateException("a failing resource does not stop the others");
        });
        cluster.onClose(() -> closed.add("third"));

        cluster.close();
        cluster.close();

        assertThat(closed).containsExactly("first true", "third");
        assertThat(cluster.workDir()).doesNotExist();
        assertThat(hostDir).startsWithRaw(cluster.workDir());
    }
}
