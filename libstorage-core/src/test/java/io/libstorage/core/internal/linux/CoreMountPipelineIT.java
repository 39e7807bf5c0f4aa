package io.libstorage.core.internal.linux;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core mount pipeline over the Linux OS driver and real loop devices. */
class CoreMountPipelineIT {
    private final CountingRunner runner = new CountingRunner();
    private LoopFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        RootPrerequisites.requireLoopDevicesAnd("blkid", "mkfs.ext4", "mkfs.btrfs", "xfs_io");
        fx = new LoopFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
            assertThat(fx.devices()).isEmpty();
        }
    }

    private LibStorage storage(Path device, String fsType) {
        OneDeviceStorageDriver driver = new OneDeviceStorageDriver(device);
        driver.create("v", VolumeSpec.builder().sizeBytes(64L << 20).fsType(fsType).build());
        return LibStorage.builder().storageDriver(driver).processRunner(runner).stateRoot(fx.dir.resolve("state")).build();
    }

    @Test
    void aDeviceThatReturnsIoErrorsFailsTheMountAndIsNeverFormatted() throws Exception {
        Path failing = fx.failingDevice();
        try (LibStorage ls = storage(failing, "ext4")) {
            assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c1"), MountOptions.DEFAULT))
                    .isInstanceOf(DeviceIOException.class)
                    .hasMessageContaining(failing.toString())
                    .hasMessageContaining("volume=v").hasMessageContaining("host=host-a").hasMessageContaining("backend=one-device");
            assertThat(runner.countStartingWith("mkfs")).isZero();
            assertThat(ls.os().mountAt(ErrorContext.of("check"), fx.dir.resolve("state/volumes/v"))).isEmpty();
            assertThat(ls.path("v")).isEmpty();
        }
    }

    /** btrfs reports an anonymous device number in mountinfo; the pipeline must still recognise its own mount. */
    @Test
    void aWarmRemountOfBtrfsSpawnsNothing() throws Exception {
        Path dev = fx.device("btrfs.img", 128);
        try (LibStorage ls = storage(dev, "btrfs")) {
            MountedVolume first = ls.mount("v", ConsumerId.of("c1"), MountOptions.DEFAULT);
            assertThat(first.formatted()).isTrue();
            Files.writeString(first.path().resolve("f.txt"), "data");
            long spawned = runner.commands.size();
            MountedVolume again = ls.mount("v", ConsumerId.of("c1"), MountOptions.DEFAULT);
            MountedVolume second = ls.mount("v", ConsumerId.of("c2"), MountOptions.DEFAULT);
            assertThat(runner.commands).hasSize((int) spawned);
            assertThat(again.path()).isEqualTo(first.path());
            assertThat(second.consumers()).containsExactlyInAnyOrder(ConsumerId.of("c1"), ConsumerId.of("c2"));
            ls.unmount("v", ConsumerId.of("c1"));
            ls.unmount("v", ConsumerId.of("c2"));
            assertThat(ls.os().mountAt(ErrorContext.of("check"), first.mountPoint())).isEmpty();
            assertThat(runner.count("umount")).isEqualTo(1);
        }
    }
}
