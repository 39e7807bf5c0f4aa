package io.libstorage.core;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forced means "without asking", never "destroy what is in use". */
class ForcedOperationsTest {
    private static final ProcessHolder POSTGRES = new ProcessHolder(4242, "postgres");
    private static final HostId A = HostId.of("A");
    private InMemoryCluster cluster;
    private LibStorage a;
    private MountedVolume mounted;

    @BeforeEach
    void setUp() throws Exception {
        cluster = InMemoryCluster.create();
        a = InMemoryLibStorage.onHost(cluster, "A");
        mounted = a.mount("pgdata", ConsumerId.of("db"), MountOptions.DEFAULT);
        Files.writeString(mounted.path().resolve("table"), "rows");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private void assertUntouched() throws Exception {
        assertThat(cluster.volumeCount()).isEqualTo(1);
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(A);
        assertThat(cluster.mountsOf("A")).extracting(m -> m.mountPoint()).containsExactly(mounted.mountPoint());
        assertThat(a.inspect("pgdata").orElseThrow().consumers()).containsExactly(ConsumerId.of("db"));
        assertThat(a.path("pgdata")).contains(mounted.path());
        assertThat(Files.readString(mounted.path().resolve("table"))).isEqualTo("rows");
    }

    @Test
    void aForcedRemoveOfABusyMountIsRefusedNamingTheHoldersAndChangesNothing() throws Exception {
        cluster.faults().busy(mounted.mountPoint(), List.of(POSTGRES));

        assertThatThrownBy(() -> a.remove("pgdata", RemoveOptions.FORCE))
                .isInstanceOfSatisfying(VolumeInUseException.class, e -> assertThat(e.holders()).containsExactly(POSTGRES))
                .hasMessageStartingWith("remove failed: the mount at " + mounted.mountPoint() + " is busy; held by [4242:postgres]")
                .hasMessageContaining("volume=pgdata host=A backend=memory");

        assertUntouched();
        cluster.faults().notBusy(mounted.mountPoint());
        a.remove("pgdata", RemoveOptions.FORCE);
        assertThat(cluster.volumeCount()).isZero();
        assertThat(cluster.mountsOf("A")).isEmpty();
    }

    @Test
    void aForcedDetachOfABusyMountIsRefusedNamingTheHoldersAndChangesNothing() throws Exception {
        cluster.faults().busy(mounted.mountPoint(), List.of(POSTGRES));

        assertThatThrownBy(() -> a.detach("pgdata", DetachOptions.FORCE))
                .isInstanceOf(VolumeInUseException.class)
                .hasMessageStartingWith("detach failed: the mount at " + mounted.mountPoint() + " is busy; held by [4242:postgres]");

        assertUntouched();
        cluster.faults().notBusy(mounted.mountPoint());
        a.detach("pgdata", DetachOptions.FORCE);
        assertThat(cluster.mappingsOf("pgdata")).isEmpty();
        assertThat(cluster.mountsOf("A")).isEmpty();
        assertThat(a.inspect("pgdata").orElseThrow().consumers()).isEmpty();
        assertThat(cluster.volumeCount()).isEqualTo(1);
    }

    @Test
    void aForcedRemoveTakesAVolumeFromAnotherHostOnlyWhenTheBackEndReportsItGone() {
        LibStorage b = InMemoryLibStorage.onHost(cluster, "B");

        assertThatThrownBy(() -> b.remove("pgdata", RemoveOptions.FORCE))
                .isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("attached to host 'A' (memory:connection reports A CONNECTED)")
                .hasMessageContaining("only from hosts the back end reports disconnected")
                .hasMessageContaining("host=B");
        assertThat(cluster.volumeCount()).isEqualTo(1);
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(A);

        cluster.killHost("A");
        b.remove("pgdata", RemoveOptions.FORCE);
        assertThat(cluster.volumeCount()).isZero();
    }
}
