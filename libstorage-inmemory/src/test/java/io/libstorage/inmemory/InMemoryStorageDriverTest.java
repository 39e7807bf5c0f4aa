package io.libstorage.inmemory;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory storage driver's own rules, through the SPI alone. */
class InMemoryStorageDriverTest {
    private static final HostId A = HostId.of("A");
    private final InMemoryCluster cluster = InMemoryCluster.create();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aDriverNeverUnmapsOrRemovesADeviceItsOwnHostHasMounted() {
        StorageDriver driver = cluster.storageDriver("A");
        OSDriver os = cluster.osDriver("A");
        Volume v = driver.create("pgdata", VolumeSpec.builder().sizeBytes(64L << 20).build());
        Attachment attachment = driver.attach(v.id(), A, AttachOptions.DEFAULT).attachment();
        Path device = driver.hostSide().findDevice(attachment).orElseThrow();
        Path mountPoint = cluster.hostDirectory("A").resolve("mnt").resolve("pgdata");
        ErrorContext ctx = ErrorContext.of("mount", "pgdata", "A", "memory");
        os.format(ctx, device, new FormatOptions("ext4", List.of(), null, false));
        os.mount(ctx, device, mountPoint, "ext4", List.of());

        assertThatThrownBy(() -> driver.remove(v.id(), RemoveOptions.FORCE)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("mounted on host A at [" + mountPoint + "]");
        assertThatThrownBy(() -> driver.detach(v.id(), A, DetachOptions.FORCE)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("unmount it first");

        assertThat(cluster.volumeCount()).isEqualTo(1);
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(A);
    }
}
