package io.libstorage.core;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.Feature;
import io.libstorage.api.FilesystemMismatchException;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.api.VolumeStatus;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, "every host sees the same volume", over a simulated back end that keeps only a name and an allocation
 * (as ScaleIO does: {@link Feature#KEEPS_SPEC} disabled). Each host has its own state root; what the creating host
 * records must be readable by the next one, also when the creator is dead.
 */
class SameTruthOnEveryHostTest {
    private static final String NAME = "orders-database-volume-of-the-west-wing1";
    private static final long FIVE_GIB = 5 * ByteSizes.GIB;

    private final InMemoryCluster cluster = cluster();
    private final LibStorage a = InMemoryLibStorage.onHost(cluster, "A");
    private final LibStorage b = InMemoryLibStorage.onHost(cluster, "B");
    private final LibStorage c = InMemoryLibStorage.onHost(cluster, "C");

    private static InMemoryCluster cluster() {
        InMemoryCluster cluster = InMemoryCluster.create();
        cluster.disable(Feature.KEEPS_SPEC);
        cluster.granularity(8 * ByteSizes.GIB);
        return cluster;
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private static VolumeSpec xfs(long size) {
        return VolumeSpec.builder().sizeBytes(size).fsType("xfs").build();
    }

    @Test
    void aVolumeCreatedOnAHostThatDiedIsMountedElsewhereWithItsFilesystemNameAndSize() throws IOException {
        assertThat(NAME).hasSize(40);
        a.create(NAME, xfs(FIVE_GIB));
        cluster.killHost("A");

        MountedVolume onB = b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);

        assertThat(onB.fsType()).isEqualTo("xfs");
        assertThat(cluster.filesystemOf(NAME)).hasValue("xfs");
        assertThat(cluster.formatCount(NAME)).isEqualTo(1);
        Files.writeString(onB.path().resolve("row"), "from B");
        VolumeStatus seenByB = b.inspect(NAME).orElseThrow();
        assertThat(seenByB.volume().name()).isEqualTo(NAME);
        assertThat(seenByB.volume().requestedSizeBytes()).isEqualTo(FIVE_GIB);
        assertThat(seenByB.volume().allocatedSizeBytes()).isEqualTo(8 * ByteSizes.GIB);
        assertThat(seenByB.volume().spec().fsType()).hasValue("xfs");
        assertThat(seenByB.unknownHere()).isEmpty();
        assertThat(b.list()).singleElement().satisfies(s -> {
            assertThat(s.volume().requestedSizeBytes()).isEqualTo(FIVE_GIB);
            assertThat(s.volume().spec().fsType()).hasValue("xfs");
        });
        b.unmount(NAME, ConsumerId.of("task-b"));
        assertThat(b.inspect(NAME).orElseThrow().volume().spec().fsType()).as("still known after the last unmount").hasValue("xfs");

        cluster.reboot("A");
        MountedVolume onA = a.mount(NAME, ConsumerId.of("task-a"), MountOptions.builder().fsType("xfs").build());
        assertThat(onA.formatted()).isFalse();
        assertThat(Files.readString(onA.path().resolve("row"))).isEqualTo("from B");
        assertThat(cluster.formatCount(NAME)).isEqualTo(1);
    }

    @Test
    void aHostThatNeverMountedTheVolumeSaysWhatItDoesNotKnowAndNeverFormatsItWithAnotherFilesystem() {
        a.create(NAME, xfs(FIVE_GIB));

        VolumeStatus seenByC = c.inspect(NAME).orElseThrow();
        assertThat(seenByC.unknownHere()).containsExactlyInAnyOrder(VolumeStatus.REQUESTED_SIZE, VolumeStatus.FS_TYPE,
                VolumeStatus.PREEMPTION);
        assertThat(seenByC.volume().spec().fsType()).isEmpty();
        assertThat(a.inspect(NAME).orElseThrow().unknownHere()).as("the creator knows").isEmpty();

        assertThatThrownBy(() -> c.mount(NAME, ConsumerId.of("task-c"), MountOptions.builder().fsType("ext4").build()))
                .isInstanceOf(FilesystemMismatchException.class).hasMessageContaining("xfs");
        assertThat(cluster.filesystemOf(NAME)).hasValue("xfs");
        assertThat(cluster.formatCount(NAME)).isEqualTo(1);
        assertThat(cluster.mappingsOf(NAME)).as("the failed mount let it go").isEmpty();
    }

    @Test
    void aRepeatedCreateElsewhereMustAgreeWithTheVolumesOwnRecord() {
        a.create(NAME, xfs(FIVE_GIB));

        assertThatThrownBy(() -> b.create(NAME, VolumeSpec.builder().sizeBytes(FIVE_GIB).fsType("ext4").build()))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("fsType xfs exists").hasMessageContaining("ext4 requested");
        assertThatThrownBy(() -> b.create(NAME, xfs(6 * ByteSizes.GIB)))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("size " + FIVE_GIB + " bytes exists")
                .hasMessageContaining(".libstorage/volume.json");
        b.create(NAME, xfs(FIVE_GIB));
        assertThat(b.inspect(NAME).orElseThrow().unknownHere()).isEmpty();
        assertThat(cluster.formatCount(NAME)).isEqualTo(1);
        assertThat(cluster.mappingsOf(NAME)).isEmpty();
    }

    @Test
    void aGrowIsTheNewRequestedSizeForEveryHost() {
        a.create(NAME, xfs(FIVE_GIB));
        b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);
        b.grow(NAME, 12 * ByteSizes.GIB);
        assertThat(b.inspect(NAME).orElseThrow().volume().requestedSizeBytes()).isEqualTo(12 * ByteSizes.GIB);
        b.unmount(NAME, ConsumerId.of("task-b"));

        a.mount(NAME, ConsumerId.of("task-a"), MountOptions.DEFAULT);
        VolumeStatus seenByA = a.inspect(NAME).orElseThrow();
        assertThat(seenByA.volume().requestedSizeBytes()).isEqualTo(12 * ByteSizes.GIB);
        assertThat(seenByA.volume().allocatedSizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        a.unmount(NAME, ConsumerId.of("task-a"));
    }

    @Test
    void aCloneCarriesItsSnapshotsFilesystemAndGetsARecordOfItsOwn() throws IOException {
        MountedVolume source = a.mount(NAME, ConsumerId.of("task-a"), MountOptions.builder().createSpec(xfs(FIVE_GIB)).build());
        Files.writeString(source.path().resolve("row"), "in the snapshot");
        var snapshot = a.snapshot(NAME, "s1");
        a.unmount(NAME, ConsumerId.of("task-a"));

        a.create("clone", VolumeSpec.builder().sizeBytes(FIVE_GIB).sourceSnapshot(snapshot.id()).build());
        MountedVolume onB = b.mount("clone", ConsumerId.of("task-b"), MountOptions.DEFAULT);

        assertThat(onB.fsType()).isEqualTo("xfs");
        assertThat(Files.readString(onB.path().resolve("row"))).isEqualTo("in the snapshot");
        assertThat(b.inspect("clone").orElseThrow().volume().name()).isEqualTo("clone");
        assertThat(b.inspect("clone").orElseThrow().volume().spec().fsType()).hasValue("xfs");
        b.unmount("clone", ConsumerId.of("task-b"));
    }

    @Test
    void theVolumesOwnTakeoverPolicyIsHonouredByEveryHostThatKnowsTheVolume() {
        a.create(NAME, xfs(FIVE_GIB).withPreemption(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);
        b.unmount(NAME, ConsumerId.of("task-b"));
        a.mount(NAME, ConsumerId.of("task-a"), MountOptions.DEFAULT);
        cluster.killHost("A");

        assertThat(b.inspect(NAME).orElseThrow().volume().spec().preemption()).hasValue(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        assertThatThrownBy(() -> c.mount(NAME, ConsumerId.of("task-c"), MountOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageContaining("'A'").hasMessageContaining("disconnected")
                .hasMessageContaining("the volume's own policy is not known on this host")
                .hasMessageContaining("preemption=IF_OWNER_UNREACHABLE");
        MountedVolume onB = b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);

        assertThat(onB.preemption()).hasValueSatisfying(p -> assertThat(p.policy()).isEqualTo(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        assertThat(cluster.mappingsOf(NAME)).containsExactly(new HostId("B"));
    }

    @Test
    void aHostThatWasGivenThePolicyByACreateHonoursItWithoutHavingMountedTheVolume() {
        VolumeSpec withPolicy = xfs(FIVE_GIB).withPreemption(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        a.create(NAME, withPolicy);
        a.mount(NAME, ConsumerId.of("task-a"), MountOptions.DEFAULT);
        c.create(NAME, VolumeSpec.builder().sizeBytes(FIVE_GIB).preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build());
        assertThat(c.inspect(NAME).orElseThrow().unknownHere()).as("only the policy was learnt")
                .containsExactlyInAnyOrder(VolumeStatus.REQUESTED_SIZE, VolumeStatus.FS_TYPE);
        cluster.killHost("A");

        MountedVolume onC = c.mount(NAME, ConsumerId.of("task-c"), MountOptions.DEFAULT);

        assertThat(onC.preemption()).isPresent();
        assertThat(onC.fsType()).isEqualTo("xfs");
        assertThat(c.inspect(NAME).orElseThrow().unknownHere()).isEmpty();
        assertThat(cluster.mappingsOf(NAME)).containsExactly(new HostId("C"));
    }

    @Test
    void whereTheBackEndKeepsTheSpecEveryHostReadsTheVolumesPolicyBeforeMapping() {
        try (InMemoryCluster keeping = InMemoryCluster.create()) {
            LibStorage creator = InMemoryLibStorage.onHost(keeping, "A");
            LibStorage other = InMemoryLibStorage.onHost(keeping, "B");
            creator.create(NAME, xfs(FIVE_GIB).withPreemption(PreemptionPolicy.IF_OWNER_UNREACHABLE));
            creator.mount(NAME, ConsumerId.of("task-a"), MountOptions.DEFAULT);
            keeping.killHost("A");

            assertThat(other.inspect(NAME).orElseThrow().unknownHere()).isEmpty();
            MountedVolume onB = other.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);

            assertThat(onB.preemption()).isPresent();
            assertThat(keeping.mappingsOf(NAME)).containsExactly(new HostId("B"));
        }
    }
}
