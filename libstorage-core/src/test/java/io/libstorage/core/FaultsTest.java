package io.libstorage.core;

import io.libstorage.api.AmbiguousVolumeException;
import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DeviceIOException;
import io.libstorage.api.DeviceNotFoundException;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.OperationDisabledException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.StorageOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The library under each injected fault: a clear typed error, and nothing left half done. */
class FaultsTest {
    private static final String HOST = "host-1";
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void aDeviceThatNeverAppearsFailsNamingWhatWasSearchedAndLeavesNothingAttached() {
        cluster.faults().hideDevice("ghost");
        assertThatThrownBy(() -> ls.mount("ghost", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(DeviceNotFoundException.class)
                .hasMessageContaining("attach succeeded").hasMessageContaining("/dev/memvol/")
                .hasMessageContaining("host=host-1").hasMessageContaining("ghost");
        assertThat(cluster.mappingsOf("ghost")).isEmpty();
        assertThat(ls.inspect("ghost")).as("the volume the failed mount created is removed").isEmpty();
    }

    @Test
    void aLostUnmapStopsThePreemptionBeforeTheNewHostIsMapped() {
        LibStorage a = InMemoryLibStorage.onHost(cluster, "A");
        LibStorage b = InMemoryLibStorage.onHost(cluster, "B");
        a.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
        cluster.killHost("A");
        cluster.faults().loseUnmaps(true);
        assertThatThrownBy(() -> b.mount("v", ConsumerId.of("d"), MountOptions.builder().preemption(PreemptionPolicy.ALWAYS).build()))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("still maps");
        assertThat(cluster.mappingsOf("v")).containsExactly(new HostId("A"));
    }

    @Test
    void aFailedUnmapStopsThePreemptionAndARetryFinishesIt() {
        LibStorage a = InMemoryLibStorage.onHost(cluster, "A");
        LibStorage b = InMemoryLibStorage.onHost(cluster, "B");
        a.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
        cluster.killHost("A");
        cluster.faults().failNextUnmaps(1);
        MountOptions ifGone = MountOptions.builder().preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build();
        assertThatThrownBy(() -> b.mount("v", ConsumerId.of("d"), ifGone))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("unmapping the volume from A failed");
        assertThat(cluster.mappingsOf("v")).containsExactly(new HostId("A"));
        assertThat(b.mount("v", ConsumerId.of("d"), ifGone).path()).exists();
        assertThat(cluster.mappingsOf("v")).containsExactly(new HostId("B"));
    }

    @Test
    void aFailedDetachKeepsAConsistentRetryableState() {
        ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
        cluster.faults().failNextUnmaps(1);
        assertThatThrownBy(() -> ls.unmount("v", ConsumerId.of("c"))).isInstanceOf(BackendUnavailableException.class);
        ls.unmount("v", ConsumerId.of("c"));
        assertThat(cluster.mappingsOf("v")).isEmpty();
        assertThat(cluster.mountsOf("host-1")).isEmpty();
        assertThat(ls.inspect("v").orElseThrow().consumers()).isEmpty();
    }

    @Test
    void anUnavailableBackEndIsRetryableAndLeavesNoState() {
        cluster.faults().backendUnavailable(true);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT));
        assertThat(t).isInstanceOf(BackendUnavailableException.class);
        assertThat(((BackendUnavailableException) t).retryable()).isTrue();
        assertThat(cluster.volumeCount()).isZero();
        assertThat(cluster.mountsOf(HOST)).isEmpty();
        cluster.faults().backendUnavailable(false);
        assertThat(ls.list()).as("no volume, no consumer left to see").isEmpty();
        assertThat(ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT).consumers()).containsExactly(ConsumerId.of("c"));
    }

    @Test
    void aBusyUnmountNamesTheProcessesKeepsTheConsumerAndCanBeRetried() {
        MountedVolume m = ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
        cluster.faults().busy(m.mountPoint(), List.of(new ProcessHolder(4242, "postgres")));
        assertThatThrownBy(() -> ls.unmount("v", ConsumerId.of("c")))
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining("4242:postgres");
        assertThat(ls.inspect("v").orElseThrow().consumers()).containsExactly(ConsumerId.of("c"));
        assertThat(cluster.mappingsOf("v")).containsExactly(new HostId("host-1"));
        cluster.faults().notBusy(m.mountPoint());
        ls.unmount("v", ConsumerId.of("c"));
        assertThat(cluster.mappingsOf("v")).isEmpty();
        assertThat(cluster.mountsOf("host-1")).isEmpty();
    }

    @Test
    void anExpiredSessionCostsExactlyOneLogin() {
        ls.create("v", ls.defaultSpec());
        cluster.faults().expireSession();
        ls.inspect("v");
        ls.inspect("v");
        assertThat(cluster.calls().count(StorageOp.LOGIN)).isEqualTo(1);
    }

    @Test
    void wrongCredentialsFailFastAsAuthenticationErrors() {
        cluster.faults().invalidCredentials(true);
        assertThatThrownBy(() -> ls.inspect("v")).isInstanceOf(AuthenticationException.class);
        assertThat(cluster.calls().count(StorageOp.FIND_BY_NAME)).as("asked once, not retried").isEqualTo(1);
        assertThat(cluster.calls().count(StorageOp.LOGIN)).isZero();
    }

    @Test
    void aDeviceWithIoErrorsIsNeverTreatedAsBlank() {
        ls.create("v", ls.defaultSpec());
        cluster.faults().ioErrors("v", true);
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT)).isInstanceOf(DeviceIOException.class);
        assertThat(cluster.formatCount("v")).isZero();
        assertThat(cluster.mappingsOf("v")).isEmpty();
    }

    @Test
    void aDeviceWithAPartitionTableIsNeverFormattedWithoutAnExplicitOverwriteOfThatVolume() {
        var v = ls.create("v", ls.defaultSpec());
        cluster.writeSignature("v", "dos", "partition table");
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(RefusedToFormatException.class).hasMessageContaining("partition table dos");
        var other = ls.create("w", ls.defaultSpec());
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.builder().overwrite(other.id()).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining(other.id().value());
        assertThat(cluster.formatCount("v")).isZero();
        assertThat(cluster.mappingsOf("v")).isEmpty();
        MountedVolume m = ls.mount("v", ConsumerId.of("c"), MountOptions.builder().overwrite(v.id()).build());
        assertThat(m.formatted()).isTrue();
        assertThat(cluster.filesystemOf("v")).contains("ext4");
    }

    @Test
    void twoBackEndVolumesWithOneNameAreAmbiguousNotGuessed() {
        ls.create("twin", ls.defaultSpec());
        cluster.addDuplicateVolume("twin", ls.defaultSpec().sizeBytes());
        assertThatThrownBy(() -> ls.mount("twin", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(AmbiguousVolumeException.class);
        assertThat(cluster.mappingsOf("twin")).isEmpty();
    }

    @Test
    void disabledOperationsFailLoudly() {
        LibStorage ls = InMemoryLibStorage.onHost(cluster, "h", b -> b
                .set("integration.volume.operations.remove.disable", true)
                .set("integration.volume.operations.create.disable", true));
        assertThatThrownBy(() -> ls.create("v", ls.defaultSpec())).isInstanceOf(OperationDisabledException.class)
                .hasMessageContaining("create.disable");
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT)).isInstanceOf(OperationDisabledException.class);
        assertThatThrownBy(() -> ls.remove("v", RemoveOptions.DEFAULT)).isInstanceOf(OperationDisabledException.class)
                .hasMessageContaining("remove.disable");
    }

    @Test
    void withoutImplicitCreateAMissingVolumeIsNotFound() {
        LibStorage ls = InMemoryLibStorage.onHost(cluster, "h", b -> b.set("integration.volume.operations.create.implicit", false));
        assertThatThrownBy(() -> ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT)).isInstanceOf(VolumeNotFoundException.class);
        assertThat(cluster.volumeCount()).isZero();
        assertThat(ls.mount("v", ConsumerId.of("c"), MountOptions.builder().createIfMissing(true).build()).path()).exists();
    }

    @Test
    void unmountAndRemoveOfWhatIsNotThereSucceedStrictRemoveDoesNot() {
        ls.unmount("nothing", ConsumerId.of("c"));
        ls.remove("nothing", RemoveOptions.DEFAULT);
        assertThatThrownBy(() -> ls.remove("nothing", new RemoveOptions(false, true))).isInstanceOf(VolumeNotFoundException.class);
    }
}
