package io.libstorage.tck;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.Feature;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A create on a back end that keeps no spec formats the volume at once (the filesystem is then its record for every
 * host). A crash at each of its side effects (create, map, format, mount, unmount, unmap), followed by the creator's
 * retry or by its reconcile, converges: nothing is left attached or mounted, the volume is formatted at most once,
 * and another host that mounts it gets the filesystem it was created with whenever the creator's create completed.
 */
class FormatAtCreateCrashTest {
    private static final String NAME = "created-then-crashed";
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final List<LibStorage> opened = new ArrayList<>();

    @AfterEach
    void close() {
        cluster.close();
    }

    static Stream<Object[]> crashes() {
        List<Object[]> out = new ArrayList<>();
        for (int step = 1; step <= 6; step++) {
            for (CrashPlan.Timing timing : CrashPlan.Timing.values()) {
                out.add(new Object[]{step, timing, true});
                out.add(new Object[]{step, timing, false});
            }
        }
        return out.stream();
    }

    private LibStorage process(String host, CrashPlan crashes) {
        Path dir = cluster.hostDirectory(host);
        LibStorage ls = LibStorage.builder()
                .storageDriver(new InstrumentedStorageDriver(cluster.storageDriver(host), crashes))
                .osDriver(new InstrumentedOSDriver(cluster.osDriver(host), crashes))
                .stateRoot(dir.resolve("state")).mountRoot(dir.resolve("mnt")).deviceWaitTimeout(Duration.ofSeconds(2)).build();
        cluster.onClose(ls);
        return ls;
    }

    @ParameterizedTest(name = "crash {1} side effect {0}, then retry: {2}")
    @MethodSource("crashes")
    void aCrashedCreateConverges(int step, CrashPlan.Timing timing, boolean retry) {
        cluster.disable(Feature.KEEPS_SPEC);
        VolumeSpec xfs = VolumeSpec.builder().sizeBytes(ByteSizes.GIB).fsType("xfs").build();
        CrashPlan crashes = new CrashPlan();
        LibStorage creator = process("A", crashes);
        crashes.arm(step, timing);
        boolean crashed = false;
        try {
            creator.create(NAME, xfs);
        } catch (SimulatedCrash c) {
            crashed = true;
        }
        assertThat(crashed).as("create has six side effects").isTrue();

        LibStorage restarted = process("A", new CrashPlan());
        if (retry) {
            restarted.create(NAME, xfs);
        } else {
            ReconcileReport r = restarted.reconcile(Set.of());
            assertThat(r.problems()).isEmpty();
        }
        assertThat(cluster.mappingsOf(NAME)).as("nothing left attached").isEmpty();
        assertThat(cluster.mountsOf("A")).as("nothing left mounted").isEmpty();
        assertThat(cluster.formatCount(NAME)).isLessThanOrEqualTo(1);
        if (retry) {
            assertThat(cluster.filesystemOf(NAME)).hasValue("xfs");
        }
        if (cluster.volumeCount() == 0) {
            return; // the crash came before the back end created it
        }
        int formatsBefore = cluster.formatCount(NAME);
        LibStorage other = process("B", new CrashPlan());
        MountedVolume onB = other.mount(NAME, ConsumerId.of("b"), MountOptions.DEFAULT);
        if (formatsBefore == 1) {
            // a volume left blank by a create that never returned is formatted by whoever mounts it first (documented)
            assertThat(onB.fsType()).isEqualTo("xfs");
            assertThat(onB.formatted()).isFalse();
        }
        assertThat(cluster.formatCount(NAME)).isEqualTo(1);
        other.unmount(NAME, ConsumerId.of("b"));
    }
}
