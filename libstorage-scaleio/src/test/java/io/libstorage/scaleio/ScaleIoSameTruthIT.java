package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.ProbeResult;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, "every host sees the same volume", over the gateway emulator with real loop devices: hosts A, B and C,
 * each with its own SDC, state root and mount root. The gateway keeps a name (31 characters) and an allocation
 * only; what A asked for must still be what B formats, mounts and shows when A is dead.
 */
class ScaleIoSameTruthIT {
    private static final String NAME = "orders-database-volume-of-the-west-wing1";
    private static final long FIVE_GIB = 5 * ByteSizes.GIB;

    private EmulatedScaleIo sio;
    private final List<LibStorage> opened = new ArrayList<>();

    @BeforeEach
    void start() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mkfs.xfs", "blkid");
        sio = new EmulatedScaleIo(true, "A", "B", "C");
    }

    @AfterEach
    void stop() {
        for (LibStorage ls : opened) {
            try {
                ls.reconcile(Set.of());
            } catch (RuntimeException e) {
                System.err.println("cleanup reconcile: " + e.getMessage());
            }
            ls.storage().close();
            ls.close();
        }
        if (sio != null) {
            sio.close();
        }
    }

    /** A host's process: its own driver, state root and mount root. */
    private LibStorage host(String host) {
        LibStorage ls = LibStorage.builder().storageDriver(sio.newDriver(host)).osDriver("linux")
                .stateRoot(sio.dir().resolve("state-" + host)).mountRoot(sio.dir().resolve("mnt-" + host))
                .deviceWaitTimeout(Duration.ofSeconds(30)).build();
        opened.add(ls);
        return ls;
    }

    private static VolumeSpec xfs(long size) {
        return VolumeSpec.builder().sizeBytes(size).fsType("xfs").build();
    }

    @Test
    void aVolumeCreatedOnADeadHostIsFormattedAndShownAsItWasCreatedByTheFirstHostThatMountsIt() throws Exception {
        assertThat(NAME).hasSize(40);
        LibStorage a = host("A");
        a.create(NAME, xfs(FIVE_GIB));
        sio.kill("A");

        LibStorage c = host("C");
        VolumeStatus seenByC = c.list().stream().filter(s -> s.volume().id().equals(a.inspect(NAME).orElseThrow().volume().id()))
                .findFirst().orElseThrow();
        assertThat(seenByC.volume().name()).as("the gateway's hashed name").startsWith("ls-");
        assertThat(seenByC.unknownHere()).as("a host that never mounted it says what it does not know")
                .contains(VolumeStatus.NAME, VolumeStatus.REQUESTED_SIZE, VolumeStatus.FS_TYPE, VolumeStatus.PREEMPTION);

        LibStorage b = host("B");
        MountedVolume onB = b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);
        assertThat(onB.fsType()).isEqualTo("xfs");
        assertThat(onB.formatted()).as("formatted at create, by A").isFalse();
        ProbeResult probe = EmulatedScaleIo.linuxOs().probe(ErrorContext.of("test"), onB.device());
        assertThat(probe).isInstanceOfSatisfying(ProbeResult.Signature.class, s -> assertThat(s.type()).isEqualTo("xfs"));
        Files.writeString(onB.path().resolve("row"), "from B");
        VolumeStatus seenByB = b.inspect(NAME).orElseThrow();
        assertThat(seenByB.volume().name()).isEqualTo(NAME);
        assertThat(seenByB.volume().requestedSizeBytes()).isEqualTo(FIVE_GIB);
        assertThat(seenByB.volume().spec().fsType()).hasValue("xfs");
        assertThat(seenByB.unknownHere()).isEmpty();
        assertThat(b.list()).anySatisfy(s -> {
            assertThat(s.volume().name()).isEqualTo(NAME);
            assertThat(s.volume().requestedSizeBytes()).isEqualTo(FIVE_GIB);
            assertThat(s.unknownHere()).isEmpty();
        });
        b.unmount(NAME, ConsumerId.of("task-b"));

        sio.connect("A");
        LibStorage aAgain = host("A");
        MountedVolume onA = aAgain.mount(NAME, ConsumerId.of("task-a"), MountOptions.builder().fsType("xfs").build());
        assertThat(onA.formatted()).isFalse();
        assertThat(Files.readString(onA.path().resolve("row"))).isEqualTo("from B");
        aAgain.unmount(NAME, ConsumerId.of("task-a"));
    }

    @Test
    void theVolumesOwnTakeoverPolicyIsHonouredByHostsThatMountedItAndTheOthersSaySoWhenTheyRefuse() {
        LibStorage a = host("A");
        LibStorage b = host("B");
        LibStorage c = host("C");
        a.create(NAME, xfs(FIVE_GIB).withPreemption(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);
        b.unmount(NAME, ConsumerId.of("task-b"));
        MountedVolume onA = a.mount(NAME, ConsumerId.of("task-a"), MountOptions.DEFAULT);
        HostId hostA = a.localHost();
        sio.kill("A");
        // A's kernel dies with it: its mount goes (all hosts share this kernel, and xfs refuses a second mount of one filesystem)
        EmulatedScaleIo.linuxOs().unmount(ErrorContext.of("host A dies"), onA.mountPoint(), true);

        assertThatThrownBy(() -> c.mount(NAME, ConsumerId.of("task-c"), MountOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageContaining(hostA.value()).hasMessageContaining("DISCONNECTED")
                .hasMessageContaining("the volume's own policy is not known on this host")
                .hasMessageContaining("preemption=IF_OWNER_UNREACHABLE");
        assertThat(a.storage().findByName(NAME).orElseThrow().attachments()).extracting(x -> x.hostId()).containsExactly(hostA);

        MountedVolume onB = b.mount(NAME, ConsumerId.of("task-b"), MountOptions.DEFAULT);
        assertThat(onB.preemption()).hasValueSatisfying(p -> {
            assertThat(p.from()).isEqualTo(hostA);
            assertThat(p.policy()).isEqualTo(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        });
        assertThat(b.storage().findByName(NAME).orElseThrow().attachments()).extracting(x -> x.hostId())
                .containsExactly(b.localHost());
        assertThat(b.inspect(NAME).orElseThrow().volume().spec().preemption()).hasValue(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        b.unmount(NAME, ConsumerId.of("task-b"));
    }

    /**
     * A CSI node knows a volume by its id, so by the gateway's name: it mounts and unmounts by that name, and learns the
     * volume's own name at the mount. Its inspect by the gateway name must still read the record that name keys.
     */
    @Test
    void aHostThatNamesTheVolumeByItsGatewayNameSeesItsOwnConsumersAfterLearningTheVolumesName() {
        VolumeId id = host("A").create(NAME, xfs(FIVE_GIB)).id();
        LibStorage b = host("B");
        String gatewayName = b.inspectById(id).orElseThrow().name();
        assertThat(gatewayName).startsWith("ls-");

        MountedVolume mounted = b.mount(gatewayName, ConsumerId.of("csi:stage"), MountOptions.DEFAULT);
        VolumeStatus seen = b.inspect(gatewayName).orElseThrow();
        assertThat(seen.volume().name()).as("learnt from the volume's own record at the mount").isEqualTo(NAME);
        assertThat(seen.consumers()).extracting(ConsumerId::value).containsExactly("csi:stage");
        assertThat(seen.path()).contains(mounted.path());
        writeString(mounted.path().resolve("from-b"), "written by B");
        assertThat(b.inspectById(id).orElseThrow().name()).as("the name B's records use while B holds the volume")
                .isEqualTo(gatewayName);
        assertThatThrownBy(() -> b.mount(NAME, ConsumerId.of("csi:publish"), MountOptions.DEFAULT))
                .as("the same volume under its other name is not a second volume to mount")
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining("'" + gatewayName + "'");

        b.unmount(gatewayName, ConsumerId.of("csi:stage"));
        assertThat(b.inspectById(id).orElseThrow().name()).as("released: the learnt name").isEqualTo(NAME);

        // named by its gateway name again, now that B knows the user's: the device is mounted where B's record says
        MountedVolume again = b.mount(gatewayName, ConsumerId.of("csi:stage"), MountOptions.DEFAULT);
        assertThat(again.path().resolve("from-b")).as("the volume itself, not a directory beside its mount").hasContent("written by B");
        b.unmount(gatewayName, ConsumerId.of("csi:stage"));
        assertThat(b.inspect(gatewayName).orElseThrow().consumers()).isEmpty();
        assertThat(b.storage().findByName(NAME).orElseThrow().attachments()).as("the last unmount detached").isEmpty();
    }

    private static void writeString(java.nio.file.Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
