package io.libstorage.tck;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeId;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Filesystem work is the integration layer's: it grows a volume's filesystem after the storage grew,
 * freezes a mounted filesystem around a snapshot where the storage driver needs it (and thaws what a
 * call that died left frozen), and unmounts every mount of a device before a forced remove or detach,
 * while storage drivers only refuse to pull a mounted device.
 */
class FilesystemWorkTest {
    private static final ConsumerId APP = ConsumerId.of("app");
    private final InMemoryCluster cluster = InMemoryCluster.create();
    /** What the OS and storage wrappers saw, in order. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger thawsToFail = new AtomicInteger();
    private final AtomicInteger growsToFail = new AtomicInteger();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /** The host's LibStorage with recording wrappers; {@code freezeForSnapshots} is what the storage driver says it needs. */
    private LibStorage host(String host, boolean freezeForSnapshots) {
        StorageDriver storage = new ForwardingStorageDriver(cluster.storageDriver(host)) {
            @Override
            public boolean snapshotsNeedFrozenFilesystem() {
                return freezeForSnapshots;
            }

            @Override
            public Snapshot snapshot(VolumeId id, String snapshotName) {
                seen.add("snapshot " + snapshotName);
                return super.snapshot(id, snapshotName);
            }
        };
        OSDriver os = new ForwardingOSDriver(cluster.osDriver(host)) {
            @Override
            public void growFilesystem(ErrorContext context, Path device, Path mountPoint, String fsType) {
                seen.add("grow " + fsType + (mountPoint == null ? " unmounted" : " at " + mountPoint));
                if (growsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new OperationFailedException(context, "resize2fs: Permission denied (growing a mounted ext4 filesystem"
                            + " needs CAP_SYS_RESOURCE; grow it unmounted instead)", null);
                }
                super.growFilesystem(context, device, mountPoint, fsType);
            }

            @Override
            public void freeze(ErrorContext context, Path mountPoint) {
                seen.add("freeze " + mountPoint);
                super.freeze(context, mountPoint);
            }

            @Override
            public void thaw(ErrorContext context, Path mountPoint) {
                seen.add("thaw " + mountPoint);
                if (thawsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new OperationFailedException(context, "fsfreeze -u failed (injected)", null);
                }
                super.thaw(context, mountPoint);
            }
        };
        return InMemoryLibStorage.onHost(cluster, host, b -> b.storageDriver(storage).osDriver(os));
    }

    // ------------------------------------------------------------------ grow

    @Test
    void aGrowOfAMountedVolumeGrowsTheStorageThenTheMountedFilesystem() {
        LibStorage ls = host("A", false);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        long bigger = m.volume().allocatedSizeBytes() * 2;
        GrownVolume g = ls.grow("v", bigger);
        assertThat(g.volume().allocatedSizeBytes()).isGreaterThanOrEqualTo(bigger);
        assertThat(g.filesystem()).isEqualTo(GrownVolume.Filesystem.GROWN_MOUNTED);
        assertThat(seen).containsExactly("grow ext4 at " + m.mountPoint());
        assertThat(ls.grow("v", bigger).volume().allocatedSizeBytes()).as("idempotent").isEqualTo(g.volume().allocatedSizeBytes());
    }

    @Test
    void anAttachedUnmountedVolumeGrowsOfflineAndABlankOneOnlyInStorage() {
        LibStorage ls = host("A", false);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        ls.unmount("v", APP);
        ls.attach("v", AttachOptions.DEFAULT);
        assertThat(ls.grow("v", m.volume().allocatedSizeBytes() * 2).filesystem()).isEqualTo(GrownVolume.Filesystem.GROWN_UNMOUNTED);
        assertThat(seen).containsExactly("grow ext4 unmounted");

        ls.create("blank", ls.defaultSpec());
        ls.attach("blank", AttachOptions.DEFAULT);
        assertThat(ls.grow("blank", m.volume().allocatedSizeBytes() * 2).filesystem()).isEqualTo(GrownVolume.Filesystem.NONE_ON_DEVICE);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aVolumeNotAttachedHereGrowsOnlyItsStorageAndAGrowWhereItIsMountedFinishesIt() {
        LibStorage a = host("A", false);
        LibStorage b = host("B", false);
        MountedVolume m = b.mount("v", APP, MountOptions.DEFAULT);
        long bigger = m.volume().allocatedSizeBytes() * 2;
        GrownVolume fromA = a.grow("v", bigger);
        assertThat(fromA.filesystem()).isEqualTo(GrownVolume.Filesystem.NOT_ATTACHED_HERE);
        assertThat(fromA.volume().allocatedSizeBytes()).isGreaterThanOrEqualTo(bigger);
        assertThat(seen).isEmpty();
        long mutations = cluster.calls().mutations();
        assertThat(b.grow("v", bigger).filesystem()).isEqualTo(GrownVolume.Filesystem.GROWN_MOUNTED);
        assertThat(cluster.calls().mutations()).as("the storage had grown already").isEqualTo(mutations);
        assertThat(seen).containsExactly("grow ext4 at " + m.mountPoint());
    }

    @Test
    void aFilesystemThatCannotGrowHereFailsAfterTheStorageGrewSayingSo() {
        LibStorage ls = host("A", false);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        long bigger = m.volume().allocatedSizeBytes() * 2;
        growsToFail.set(1);
        assertThatThrownBy(() -> ls.grow("v", bigger)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("the volume grew to " + bigger + " bytes, but its filesystem did not")
                .hasMessageContaining("CAP_SYS_RESOURCE").hasMessageContaining("operation=grow volume=v");
        assertThat(ls.inspect("v").orElseThrow().volume().allocatedSizeBytes()).isEqualTo(bigger);
        ls.unmount("v", APP);
        ls.attach("v", AttachOptions.DEFAULT);
        assertThat(ls.grow("v", bigger).filesystem()).isEqualTo(GrownVolume.Filesystem.GROWN_UNMOUNTED);
    }

    // ------------------------------------------------------------------ snapshots

    @Test
    void aSnapshotOfAMountedVolumeFreezesItsFilesystemAroundTheStorageSnapshotWhenTheDriverNeedsIt() {
        LibStorage ls = host("A", true);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        Snapshot s = ls.snapshot("v", "s1");
        assertThat(seen).containsExactly("freeze " + m.mountPoint(), "snapshot s1", "thaw " + m.mountPoint());
        assertThat(ls.snapshot("v", "s1")).as("a repeat freezes nothing").isEqualTo(s);
        assertThat(seen).hasSize(3);
        assertThat(cluster.calls().count(OsOp.FREEZE)).isEqualTo(1);
        assertThat(cluster.calls().count(OsOp.THAW)).isEqualTo(1);
    }

    @Test
    void nothingIsFrozenWhereTheDriverSnapshotsAtAPointInTimeOrNothingIsMounted() {
        LibStorage ls = host("A", false);
        ls.mount("v", APP, MountOptions.DEFAULT);
        ls.snapshot("v", "s1");
        LibStorage needs = host("B", true);
        needs.create("w", needs.defaultSpec());
        needs.snapshot("w", "s1");
        assertThat(seen).containsExactly("snapshot s1", "snapshot s1");
    }

    @Test
    void aFilesystemLeftFrozenIsThawedAtTheNextStartAndByReconcile() throws Exception {
        LibStorage ls = host("A", true);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        Path note = cluster.workDir().resolve("hosts/A/state/frozen/v");
        thawsToFail.set(1);
        assertThatThrownBy(() -> ls.snapshot("v", "s1")).isInstanceOf(OperationFailedException.class).hasMessageContaining("fsfreeze -u");
        assertThat(note).as("the note stays while the filesystem may be frozen").exists();
        seen.clear();

        host("A", true);
        assertThat(seen).as("a new process thaws at its start").containsExactly("thaw " + m.mountPoint());
        assertThat(note).doesNotExist();

        thawsToFail.set(1);
        assertThatThrownBy(() -> ls.snapshot("v", "s2")).isInstanceOf(OperationFailedException.class);
        assertThat(ls.reconcile().repaired()).anySatisfy(r -> assertThat(r).startsWith("v: thawed " + m.mountPoint()));
        assertThat(note).doesNotExist();
        assertThat(ls.reconcile().repaired()).noneMatch(r -> r.contains("thawed"));
    }

    // ------------------------------------------------------------------ forced remove and detach

    @Test
    void aForcedRemoveOrDetachUnmountsEveryMountOfTheDeviceOnThisHostFirst() throws Exception {
        LibStorage ls = host("A", false);
        for (String op : List.of("detach", "remove")) {
            MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
            Path elsewhere = cluster.workDir().resolve("elsewhere-" + op);
            ls.os().mount(ErrorContext.of("test"), m.device(), elsewhere, m.fsType(), List.of());
            assertThat(cluster.mountsOf("A")).hasSize(2);
            if (op.equals("detach")) {
                ls.detach("v", DetachOptions.FORCE);
                assertThat(cluster.mappingsOf("v")).isEmpty();
            } else {
                ls.remove("v", RemoveOptions.FORCE);
                assertThat(cluster.volumeCount()).isZero();
            }
            assertThat(cluster.mountsOf("A")).as("after the forced %s", op).isEmpty();
        }
    }

    @Test
    void aForcedRemoveOfADeviceABusyMountHoldsElsewhereIsRefusedNamingTheHolders() {
        LibStorage ls = host("A", false);
        MountedVolume m = ls.mount("v", APP, MountOptions.DEFAULT);
        ls.unmount("v", APP);
        ls.attach("v", AttachOptions.DEFAULT);
        Path elsewhere = cluster.workDir().resolve("elsewhere");
        ls.os().mount(ErrorContext.of("test"), m.device(), elsewhere, m.fsType(), List.of());
        ProcessHolder holder = new ProcessHolder(4242, "postgres");
        cluster.faults().busy(elsewhere, List.of(holder));
        assertThatThrownBy(() -> ls.remove("v", RemoveOptions.FORCE))
                .isInstanceOfSatisfying(VolumeInUseException.class, e -> assertThat(e.holders()).containsExactly(holder));
        assertThat(cluster.volumeCount()).isEqualTo(1);
        assertThat(cluster.mountsOf("A")).hasSize(1);
        assertThat(Files.isSymbolicLink(elsewhere)).isTrue();
    }
}
