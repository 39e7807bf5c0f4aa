package io.libstorage.scaleio;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After another host took a volume over, the old host's inspect and list show where the volume is and mark the old
 * host's own record stale, without its old path (its old mount may still be in the mount table).
 */
class ScaleIoTakeoverViewIT {
    private EmulatedScaleIo sio;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4");
        sio = new EmulatedScaleIo(true, "old", "new");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (sio != null) {
            sio.close();
        }
    }

    private LibStorage host(String name) {
        StorageDriver driver = sio.newDriver(name);
        LibStorage storage = LibStorage.builder().storageDriver(driver).osDriver("linux").stateRoot(sio.dir().resolve("root-" + name))
                .deviceWaitTimeout(Duration.ofSeconds(30)).set("integration.volume.operations.create.default.size", "1").build();
        closing.add(0, driver);
        closing.add(0, storage);
        return storage;
    }

    @Test
    void theOldHostShowsTheVolumeAttachedElsewhereAndItsRecordStale() {
        LibStorage old = host("old");
        LibStorage taker = host("new");
        MountedVolume before = old.mount("pgdata", ConsumerId.of("task-1"), MountOptions.DEFAULT);
        assertThat(old.inspect("pgdata").orElseThrow().path()).contains(before.path());

        sio.kill("old");
        taker.mount("pgdata", ConsumerId.of("task-2"), MountOptions.builder().preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build());

        VolumeStatus inspected = old.inspect("pgdata").orElseThrow();
        assertThat(inspected.path()).as("the old host's path").isEmpty();
        assertThat(inspected.consumers()).as("recorded until their unmounts or a reconcile").extracting(ConsumerId::value)
                .containsExactly("task-1");
        assertThat(inspected.volume().attachments()).extracting(a -> a.hostId().value()).containsExactly(sio.guid("new"));
        assertThat(inspected.problem()).hasValueSatisfying(p -> assertThat(p).contains("attached to [" + sio.guid("new") + "]")
                .contains("stale").contains("task-1"));
        assertThat(old.list()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEmpty();
            assertThat(s.problem()).isEqualTo(inspected.problem());
        });
        assertThat(taker.inspect("pgdata").orElseThrow().consumers()).extracting(ConsumerId::value).containsExactly("task-2");

        taker.unmount("pgdata", ConsumerId.of("task-2"));
        sio.connect("old");
        old.unmount("pgdata", ConsumerId.of("task-1"));
    }
}
