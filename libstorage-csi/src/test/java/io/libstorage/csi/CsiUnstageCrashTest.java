package io.libstorage.csi;

import io.grpc.StatusRuntimeException;
import io.libstorage.api.MountEntry;
import io.libstorage.api.ProcessHolder;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.CrashPlan;
import io.libstorage.tck.InstrumentedOSDriver;
import io.libstorage.tck.InstrumentedStorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.libstorage.csi.Csi.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A NodeUnstageVolume that dies inside the library's unmount (the TCK's crash plan over the in-memory driver), and a
 * start-up reconcile that recovers its record (the dead call's consumer dropped) but cannot release it: the
 * orchestrator's retry must complete the unmount and the detach. {@code CsiLocalFsIT}'s SIGKILL at random times
 * reached this state in about one run of two, and the retry was refused as "volume is in use: mounted on this host
 * for consumers []".
 */
class CsiUnstageCrashTest {
    private static final String HOST = "node-a";
    private static final String NAME = "unstaged";
    private InMemoryCluster cluster;
    private Path dir;
    private final List<AutoCloseable> process = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = InMemoryCluster.create();
        dir = Files.createTempDirectory("csi-unstage-crash");
    }

    @AfterEach
    void stop() throws IOException {
        stopProcess();
        cluster.close();
        FileTrees.deleteTree(dir);
    }

    private CsiClient process(CrashPlan crashes, boolean reconcileOnStart) {
        stopProcess();
        Path host = cluster.hostDirectory(HOST);
        LibStorage storage = LibStorage.builder()
                .storageDriver(new InstrumentedStorageDriver(cluster.storageDriver(HOST), crashes))
                .osDriver(new InstrumentedOSDriver(cluster.osDriver(HOST), crashes))
                .stateRoot(host.resolve("state")).mountRoot(host.resolve("mnt")).deviceWaitTimeout(Duration.ofSeconds(2)).build();
        process.add(storage);
        CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(dir.resolve("csi.sock")))
                .reconcileOnStart(reconcileOnStart).start();
        process.add(0, plugin);
        CsiClient csi = new CsiClient(plugin.socket());
        process.add(0, csi);
        return csi;
    }

    private void stopProcess() {
        for (AutoCloseable c : process) {
            try {
                c.close();
            } catch (Exception e) {
                // what a crashed process leaves: nothing more to close
            }
        }
        process.clear();
    }

    @Test
    void aRetriedUnstageCompletesTheUnmountThatTheCrashAndTheStartUpReconcileLeftHalfDone() throws IOException {
        String staging = Files.createDirectories(dir.resolve("staging")).toString();
        CsiClient csi = process(new CrashPlan(), true);
        String id = csi.controller.createVolume(Csi.create(NAME, 64 * MIB)).getVolume().getVolumeId();
        csi.node.nodeStageVolume(Csi.stage(id, staging));
        Path mountPoint = cluster.mountsOf(HOST).stream().map(MountEntry::mountPoint)
                .filter(m -> !m.equals(Path.of(staging))).findFirst().orElseThrow();

        // the unstage dies just before the library unmounts the filesystem (after the staging path's unbind)
        CrashPlan crashes = new CrashPlan();
        CsiClient dying = process(crashes, true);
        crashes.arm(1, CrashPlan.Timing.BEFORE);
        assertThatThrownBy(() -> dying.node.nodeUnstageVolume(Csi.unstage(id, staging))).isInstanceOf(StatusRuntimeException.class);
        assertThat(crashes.crashedAt()).contains("unmount");

        // the next process's reconcile drops the dead unstage's consumer but cannot unmount: something still has it open
        cluster.faults().busy(mountPoint, List.of(new ProcessHolder(4242, "backup-agent")));
        CsiClient restarted = process(new CrashPlan(), true);
        cluster.faults().notBusy(mountPoint);

        restarted.node.nodeUnstageVolume(Csi.unstage(id, staging));
        restarted.node.nodeUnstageVolume(Csi.unstage(id, staging));
        assertThat(cluster.mountsOf(HOST)).as("nothing mounted").isEmpty();
        assertThat(cluster.mappingsOf(NAME)).as("nothing attached").isEmpty();
        restarted.node.nodeStageVolume(Csi.stage(id, staging));
        assertThat(cluster.formatCount(NAME)).as("staged again, not re-formatted").isEqualTo(1);
        restarted.node.nodeUnstageVolume(Csi.unstage(id, staging));
    }
}
