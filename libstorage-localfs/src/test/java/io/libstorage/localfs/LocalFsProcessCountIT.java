package io.libstorage.localfs;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The processes each operation of the mount pipeline spawns over localfs and the Linux OS driver, counted exactly
 * (the counts are deterministic), and the blank proof of a fresh image that lets a cold mount skip {@code blkid}:
 * an image with anything written to it, anywhere and by any path, gets the full probe.
 */
class LocalFsProcessCountIT {
    private static final ConsumerId APP = ConsumerId.of("app");
    private static final long SIZE = 64L << 20;
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = LocalFsFixture.requiring("blkid", "mkfs.ext4");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.closeLeavingNothing();
        }
    }

    private List<String> spawnedBy(Runnable operation) {
        int mark = fx.runner.total();
        operation.run();
        return fx.runner.programsSince(mark);
    }

    @Test
    void eachOperationSpawnsExactlyWhatItCannotReadItself() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            ConsumerId other = ConsumerId.of("other");
            assertThat(spawnedBy(() -> ls.create("v", ls.defaultSpec()))).isEmpty();
            List<String> coldMount = stampsProveBlank() ? List.of("losetup", "mkfs.ext4", "mount")
                    : List.of("losetup", "blkid", "mkfs.ext4", "mount");
            assertThat(spawnedBy(() -> ls.mount("v", APP, MountOptions.DEFAULT)))
                    .as("cold mount of a fresh volume: proven blank without blkid").isEqualTo(coldMount);
            assertThat(spawnedBy(() -> ls.mount("v", APP, MountOptions.DEFAULT))).as("warm mount").isEmpty();
            assertThat(spawnedBy(() -> ls.mount("v", other, MountOptions.DEFAULT))).as("second consumer").isEmpty();
            assertThat(spawnedBy(() -> ls.unmount("v", other))).as("unmount of one of two consumers").isEmpty();
            assertThat(spawnedBy(() -> ls.unmount("v", APP))).as("unmount of the last consumer").containsExactly("umount", "losetup");
            assertThat(spawnedBy(() -> ls.mount("v", APP, MountOptions.DEFAULT)))
                    .as("cold mount of a formatted volume: the probe names its filesystem").containsExactly("losetup", "blkid", "mount");
            ls.create("w", ls.defaultSpec());
            ls.mount("w", APP, MountOptions.DEFAULT);
            assertThat(spawnedBy(ls::reconcile)).as("reconcile of two healthy mounts").isEmpty();
            ls.unmount("v", APP);
            ls.unmount("w", APP);
            assertThat(spawnedBy(() -> ls.remove("v", RemoveOptions.DEFAULT))).as("remove of a detached volume").isEmpty();
            ls.remove("w", RemoveOptions.DEFAULT);
        }
    }

    /** A snapshot's clone holds data: it never gets the proof, and its filesystem is found by the probe. */
    @Test
    void aCloneIsProbed() {
        try (LibStorage ls = fx.libStorage()) {
            ls.create("src", ls.defaultSpec());
            ls.mount("src", APP, MountOptions.DEFAULT);
            var snap = ls.snapshot("src", "s1");
            ls.unmount("src", APP);
            ls.create("clone", VolumeSpec.builder().sizeBytes(SIZE).sourceSnapshot(snap.id()).build());
            List<String> spawned = spawnedBy(() -> assertThat(ls.mount("clone", APP, MountOptions.DEFAULT).formatted()).isFalse());
            assertThat(spawned).contains("blkid").doesNotContain("mkfs.ext4");
            ls.unmount("clone", APP);
        }
    }

    /** Written to the image file (start, end of the sparse image, last MiB): probed in full and refused. */
    @ParameterizedTest
    @ValueSource(longs = {0, SIZE - 1, SIZE - 4096 - 512})
    void anImageWithDataIsProbedAndNeverFormatted(long offset) throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            Volume v = ls.create("dirty", VolumeSpec.builder().sizeBytes(SIZE).fsType("ext4").build());
            writeAt(Path.of(v.fields().get("image")), offset);
            int mark = fx.runner.total();
            assertThatThrownBy(() -> ls.mount("dirty", APP, MountOptions.DEFAULT)).isInstanceOf(RefusedToFormatException.class);
            assertThat(fx.runner.programsSince(mark)).contains("blkid").doesNotContain("mkfs.ext4");
        }
    }

    /** Data where neither blkid nor the sampled reads look: the proof is gone, so the full probe decides (it finds nothing). */
    @Test
    void dataOutsideTheSampledRegionsStillTakesTheProofAway() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            Volume v = ls.create("middle", VolumeSpec.builder().sizeBytes(SIZE).fsType("ext4").build());
            writeAt(Path.of(v.fields().get("image")), SIZE / 2 + 12345);
            List<String> spawned = spawnedBy(() -> ls.mount("middle", APP, MountOptions.DEFAULT));
            assertThat(spawned).containsExactly("losetup", "blkid", "mkfs.ext4", "mount");
            ls.unmount("middle", APP);
        }
    }

    /** Written through the loop device (left in its page cache, not yet in the file): the flush before the check shows it. */
    @Test
    void dataWrittenThroughTheLoopDeviceIsSeen() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            ls.create("via-loop", VolumeSpec.builder().sizeBytes(SIZE).fsType("ext4").build());
            ls.attach("via-loop", AttachOptions.DEFAULT);
            Path device = Path.of(ls.storage().findByName("via-loop").orElseThrow().fields().get("device"));
            // kept open: the last close of a block device would write its dirty pages back by itself
            try (RandomAccessFile writer = new RandomAccessFile(device.toFile(), "rw")) {
                writer.write(0x5a);
                int mark = fx.runner.total();
                assertThatThrownBy(() -> ls.mount("via-loop", APP, MountOptions.DEFAULT)).isInstanceOf(RefusedToFormatException.class);
                assertThat(fx.runner.programsSince(mark)).contains("blkid").doesNotContain("mkfs.ext4");
            }
            ls.detach("via-loop", io.libstorage.api.DetachOptions.DEFAULT);
        }
    }

    /**
     * Written through the loop device where the OS driver's own check before mkfs does not read, and kept in the
     * device's page cache by a writer that still holds it open: only the flush before the stamp check shows it.
     */
    @Test
    void dataLeftInTheLoopDevicesCacheTakesTheProofAway() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            ls.create("cached", VolumeSpec.builder().sizeBytes(SIZE).fsType("ext4").build());
            ls.attach("cached", AttachOptions.DEFAULT);
            Path device = Path.of(ls.storage().findByName("cached").orElseThrow().fields().get("device"));
            try (RandomAccessFile writer = new RandomAccessFile(device.toFile(), "rw")) {
                writer.seek(SIZE / 2 + 12345);
                writer.write(0x5a);
                List<String> spawned = spawnedBy(() -> ls.mount("cached", APP, MountOptions.DEFAULT));
                assertThat(spawned).containsExactly("blkid", "mkfs.ext4", "mount");
            }
            ls.unmount("cached", APP);
        }
    }

    /** Detached and attached again: no longer the first attach, so no proof (the full probe finds it blank). */
    @Test
    void aSecondAttachIsProbed() {
        try (LibStorage ls = fx.libStorage()) {
            ls.create("again", VolumeSpec.builder().sizeBytes(SIZE).fsType("ext4").build());
            ls.attach("again", AttachOptions.DEFAULT);
            ls.detach("again", io.libstorage.api.DetachOptions.DEFAULT);
            List<String> spawned = spawnedBy(() -> {
                MountedVolume m = ls.mount("again", APP, MountOptions.DEFAULT);
                assertThat(m.formatted()).isTrue();
            });
            assertThat(spawned).containsExactly("losetup", "blkid", "mkfs.ext4", "mount");
            ls.unmount("again", APP);
        }
    }

    /**
     * Whether this kernel and the file system under the fixture give multigrain timestamps (Linux 6.13+, ext4, xfs,
     * btrfs, tmpfs), where localfs proves a fresh image blank without blkid; elsewhere every device is probed.
     */
    private boolean stampsProveBlank() throws java.io.IOException {
        String[] v = System.getProperty("os.version").split("[.\\-+]");
        boolean kernel = Integer.parseInt(v[0]) > 6 || (Integer.parseInt(v[0]) == 6 && Integer.parseInt(v[1]) >= 13);
        return kernel && java.util.Set.of("ext4", "xfs", "btrfs", "tmpfs").contains(java.nio.file.Files.getFileStore(fx.dir).type());
    }

    /** One byte, buffered: not synced, so only the kernel's own bookkeeping can show it. */
    private static void writeAt(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(0x5a);
        }
    }
}
