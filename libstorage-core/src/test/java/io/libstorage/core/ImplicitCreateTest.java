package io.libstorage.core;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DeviceNotFoundException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.VolumeSpec;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.StorageOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A filesystem the OS driver cannot make is refused before anything is created, and a mount that
 * created its volume and then failed leaves no volume behind.
 */
class ImplicitCreateTest {
    private static final String HOST = "host-1";
    private static final long SIZE = 64L << 20;
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zfs", "-rf", "", "EXT4", "ext4 "})
    void aFilesystemTheOsDriverCannotMakeIsRefusedBeforeAnythingIsCreated(String fs) {
        long creates = cluster.calls().count(StorageOp.CREATE);

        assertThatThrownBy(() -> ls.create("v", VolumeSpec.builder().sizeBytes(SIZE).fsType(fs).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("create failed")
                .hasMessageContaining("'" + fs + "'").hasMessageContaining("[btrfs, ext2, ext3, ext4, xfs]")
                .hasMessageContaining("volume=v");
        assertThatThrownBy(() -> ls.mount("w", ConsumerId.of("c"), MountOptions.builder().fsType(fs).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("mount failed").hasMessageContaining("'" + fs + "'");

        assertThat(cluster.calls().count(StorageOp.CREATE)).isEqualTo(creates);
        assertThat(cluster.calls().mutations()).isZero();
        assertThat(cluster.volumeCount()).isZero();
        assertThat(ls.inspect("w")).isEmpty();
        assertThat(ls.reconcile().released()).isEmpty();
    }

    @Test
    void aDefaultFilesystemTheOsDriverCannotMakeIsNamedAsTheDefault() {
        LibStorage ls = InMemoryLibStorage.onHost(cluster, "h", b -> b.set("integration.volume.operations.create.default.fsType", "zfs"));
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'zfs' (the default, libstorage.integration.volume.operations.create.default.fsType)");
        assertThat(cluster.volumeCount()).isZero();
    }

    @Test
    void aMountWhoseImplicitCreateSucceededButAttachFailedLeavesNoVolume() {
        cluster.faults().failNext(StorageOp.ATTACH, 1);

        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(cluster.calls().count(StorageOp.CREATE)).isEqualTo(1);
        assertThat(cluster.calls().count(StorageOp.REMOVE)).isEqualTo(1);
        assertThat(cluster.volumeCount()).isZero();
        assertThat(ls.inspect("v")).isEmpty();
        assertThat(ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT).formatted()).as("a retry starts afresh").isTrue();
    }

    @Test
    void aMountWhoseImplicitCreateSucceededButWhoseDeviceNeverAppearedLeavesNoVolume() {
        LibStorage ls = InMemoryLibStorage.onHost(cluster, "h", b -> b.deviceWaitTimeout(Duration.ofMillis(100)));
        cluster.faults().hideDevice("v");

        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT)).isInstanceOf(DeviceNotFoundException.class);

        assertThat(cluster.mappingsOf("v")).isEmpty();
        assertThat(cluster.volumeCount()).isZero();
    }

    @Test
    void aFailedMountKeepsAVolumeItDidNotCreate() {
        ls.create("v", VolumeSpec.builder().sizeBytes(SIZE).build());
        cluster.faults().failNext(StorageOp.ATTACH, 1);

        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(cluster.volumeCount()).isEqualTo(1);
        assertThat(cluster.calls().count(StorageOp.REMOVE)).isZero();
    }
}
