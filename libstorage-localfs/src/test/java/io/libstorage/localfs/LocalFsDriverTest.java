package io.libstorage.localfs;

import io.libstorage.api.AccessMode;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.UnsupportedFeatureException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.core.DriverCatalog;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.StorageDriverProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** localfs control-plane operations that need no loop device (and no root). */
class LocalFsDriverTest {
    private static final long MIB = ByteSizes.MIB;
    private LocalFsFixture fx;
    private LocalFsDriver driver;

    @BeforeEach
    void setUp() throws Exception {
        fx = new LocalFsFixture();
        driver = fx.driver(Map.of("hostId", "host-a"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static VolumeSpec spec(long bytes) {
        return VolumeSpec.builder().sizeBytes(bytes).fsType("ext4").mkfsOptions(List.of("-E", "lazy_itable_init=1"))
                .mountOptions(List.of("noatime")).label("team", "db").build();
    }

    @Test
    void isFoundByNameAndDescribesItsKeys() {
        StorageDriverProvider p = DriverCatalog.load().storageDriver("localfs");
        assertThat(p.configKeys()).extracting(ConfigKey::name)
                .containsExactly("root", "hostId", "commandTimeout", "slowCommandTimeout", "lockTimeout", "sizeGranularity");
        assertThat(p.configKeys()).filteredOn(k -> k.name().equals("root")).first()
                .extracting(ConfigKey::defaultValue).isEqualTo("<stateRoot>/localfs");
        assertThat(driver.name()).isEqualTo("localfs");
        assertThat(driver.features()).containsExactlyInAnyOrder(Feature.SNAPSHOTS, Feature.CREATE_FROM_SNAPSHOT, Feature.GROW,
                Feature.KEEPS_SPEC);
        assertThat(driver.hostSide().localHost()).isEqualTo(HostId.of("host-a"));
        assertThat(driver.root()).isEqualTo(fx.root);
        assertThat(driver.startupReport().clean()).isTrue();
    }

    @Test
    void rejectsAGranularityThatIsNotAMultipleOf512OrHasNoUnit() {
        assertThatThrownBy(() -> fx.driver(Map.of("sizeGranularity", "1000B")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("localfs.sizeGranularity")
                .hasMessageContaining("multiple of 512 bytes, not 1000 bytes");
        assertThatThrownBy(() -> fx.driver(Map.of("sizeGranularity", "4096")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'4096' needs a unit here");
        assertThat(fx.driver(Map.of("sizeGranularity", "4KiB")).create("g", spec(4097)).allocatedSizeBytes()).isEqualTo(8192);
    }

    @Test
    void createIsIdempotentByNameAndStoresTheWholeSpec() throws Exception {
        Volume v = driver.create("pg-data", spec(64 * MIB + 1));
        assertThat(v.id().value()).matches("lfs-[0-9a-f-]{36}");
        assertThat(v.requestedSizeBytes()).isEqualTo(64 * MIB + 1);
        assertThat(v.allocatedSizeBytes()).isEqualTo(65 * MIB);
        assertThat(v.spec()).isEqualTo(spec(64 * MIB + 1));
        assertThat(v.attachments()).isEmpty();
        Path image = Path.of(v.fields().get("image"));
        assertThat(Files.size(image)).isEqualTo(65 * MIB);
        assertThat(LocalFsFixture.run("stat", "-c", "%b", image.toString()).strip()).as("allocated blocks: sparse").isEqualTo("0");

        Volume again = driver.create("pg-data", spec(64 * MIB + 1));
        assertThat(again.id()).isEqualTo(v.id());
        LocalFsDriver restarted = fx.driver(Map.of("hostId", "host-a"));
        assertThat(restarted.create("pg-data", spec(64 * MIB + 1)).id()).isEqualTo(v.id());
        assertThat(restarted.list()).extracting(Volume::id).containsExactly(v.id());
        assertThat(fx.runner.total()).as("no process is spawned to create, list or find").isZero();
    }

    @Test
    void aDifferentSpecForAnExistingNameConflicts() {
        driver.create("v1", spec(64 * MIB));
        assertThatThrownBy(() -> driver.create("v1", spec(128 * MIB)))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("size").hasMessageContaining("volume=v1");
        assertThatThrownBy(() -> driver.create("v1", spec(64 * MIB).toBuilder().fsType("xfs").build()))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("fsType ext4 exists, xfs requested");
    }

    @Test
    void badRequestsAreRejectedBeforeAnythingIsWritten() throws Exception {
        assertThatThrownBy(() -> driver.create("v1", spec(0))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> driver.create("v1", spec(-5))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> driver.create("../etc", spec(MIB))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> driver.create("a/b", spec(MIB))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> driver.create("v1", spec(MIB).toBuilder().driverOption("pool", "x").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("[pool]");
        assertThatThrownBy(() -> driver.create("v1", spec(MIB).toBuilder().accessMode(AccessMode.MULTI_HOST_CLUSTER).build()))
                .isInstanceOfSatisfying(UnsupportedFeatureException.class, e -> assertThat(e.feature()).isEqualTo(Feature.MULTI_HOST_ACCESS));
        try (var files = Files.list(fx.root.resolve("volumes"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void namesAreExactKeys() {
        Volume a = driver.create("vol-data-2", spec(MIB));
        Volume b = driver.create("vol-data-21", spec(MIB));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(driver.findByName("vol-data-2")).map(Volume::id).contains(a.id());
        assertThat(driver.findByName("vol-data-21")).map(Volume::id).contains(b.id());
        assertThat(driver.findByName("vol-data")).isEmpty();
        assertThat(driver.findByName("VOL-DATA-2")).isEmpty();
        assertThat(driver.inspect(VolumeId.of("../../etc/passwd"))).isEmpty();
    }

    @Test
    void removeIsIdempotentAndListsOnlyThisRoot() throws Exception {
        Volume v = driver.create("gone", spec(MIB));
        LocalFsFixture other = new LocalFsFixture();
        try {
            other.driver().create("elsewhere", spec(MIB));
            assertThat(driver.list()).extracting(Volume::name).containsExactly("gone");
        } finally {
            other.close();
        }
        driver.remove(v.id(), RemoveOptions.DEFAULT);
        assertThat(driver.inspect(v.id())).isEmpty();
        assertThat(Files.exists(Path.of(v.fields().get("image")))).isFalse();
        driver.remove(v.id(), RemoveOptions.DEFAULT);
        assertThatThrownBy(() -> driver.remove(v.id(), new RemoveOptions(false, true))).isInstanceOf(VolumeNotFoundException.class);
        Volume reborn = driver.create("gone", spec(MIB));
        assertThat(reborn.id()).as("ids never repeat").isNotEqualTo(v.id());
    }

    @Test
    void snapshotsCopyTheImageAndSeedNewVolumes() throws Exception {
        Volume v = driver.create("src", spec(8 * MIB));
        Path image = Path.of(v.fields().get("image"));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(3 * MIB);
            f.write("hello snapshot".getBytes(StandardCharsets.US_ASCII));
        }
        Snapshot s = driver.snapshot(v.id(), "nightly");
        assertThat(driver.snapshot(v.id(), "nightly")).as("idempotent by name").isEqualTo(s);
        assertThat(driver.snapshots(v.id())).containsExactly(s);
        assertThat(s.sizeBytes()).isEqualTo(8 * MIB);

        Volume clone = driver.create("clone", spec(16 * MIB).toBuilder().sourceSnapshot(s.id()).build());
        Path cloneImage = Path.of(clone.fields().get("image"));
        assertThat(Files.size(cloneImage)).isEqualTo(16 * MIB);
        byte[] head = new byte[(int) (8 * MIB)];
        try (RandomAccessFile f = new RandomAccessFile(cloneImage.toFile(), "r")) {
            f.readFully(head);
        }
        assertThat(head).isEqualTo(Files.readAllBytes(image));

        assertThatThrownBy(() -> driver.create("small", spec(4 * MIB).toBuilder().sourceSnapshot(s.id()).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at least");
        driver.removeSnapshot(s.id());
        driver.removeSnapshot(s.id());
        assertThat(driver.snapshots(v.id())).isEmpty();
        assertThat(driver.inspect(clone.id())).isPresent();
    }

    @Test
    void growingAnUnattachedVolumeExtendsOnlyTheImage() throws Exception {
        Volume v = driver.create("g", spec(8 * MIB));
        Volume grown = driver.grow(v.id(), 20 * MIB + 3);
        assertThat(grown.allocatedSizeBytes()).isEqualTo(21 * MIB);
        assertThat(grown.requestedSizeBytes()).isEqualTo(20 * MIB + 3);
        assertThat(Files.size(Path.of(v.fields().get("image")))).isEqualTo(21 * MIB);
        assertThat(driver.grow(v.id(), 4 * MIB).allocatedSizeBytes()).as("never shrinks").isEqualTo(21 * MIB);
        assertThatThrownBy(() -> driver.grow(v.id(), 0)).isInstanceOf(InvalidRequestException.class);
        assertThat(fx.runner.total()).isZero();
    }

    @Test
    void attachingForAnotherHostIsRefusedClearly() {
        Volume v = driver.create("mine", spec(MIB));
        assertThatThrownBy(() -> driver.attach(v.id(), HostId.of("host-b"), io.libstorage.api.AttachOptions.DEFAULT))
                .isInstanceOfSatisfying(UnsupportedFeatureException.class, e -> assertThat(e.feature()).isEqualTo(Feature.REMOTE_ATTACH))
                .hasMessageContaining("host-b").hasMessageContaining("host-a");
        assertThat(fx.runner.total()).isZero();
    }
}
