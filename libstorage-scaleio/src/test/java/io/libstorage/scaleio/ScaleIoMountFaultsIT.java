package io.libstorage.scaleio;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.ForwardingStorageDriver;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gateway faults in the middle of a real mount (root, loop devices, Linux OS driver). */
class ScaleIoMountFaultsIT {
    private EmulatedScaleIo sio;
    private LibStorage storage;

    @BeforeEach
    void start() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4");
        sio = new EmulatedScaleIo(true, "local");
    }

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.reconcile(java.util.Set.of());
            storage.storage().close();
            storage.close();
        }
        if (sio != null) {
            sio.close();
        }
    }

    private LibStorage libStorage(StorageDriver driver) {
        return LibStorage.builder().storageDriver(driver).osDriver("linux").stateRoot(sio.dir().resolve("state"))
                .deviceWaitTimeout(Duration.ofSeconds(30))
                .set("integration.volume.operations.create.default.size", "1").build();
    }

    @Test
    void theDriverNeverUnmapsADeviceThisHostHasMounted() throws Exception {
        StorageDriver real = sio.newDriver("local");
        storage = libStorage(real);
        MountedVolume m = storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT);
        Files.writeString(m.path().resolve("kept"), "kept");
        VolumeId id = m.volume().id();
        HostId here = real.hostSide().localHost();
        sio.gateway().resetRequestLog();

        assertThatThrownBy(() -> real.detach(id, here, DetachOptions.FORCE)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("is mounted on this host at [" + m.mountPoint() + "]").hasMessageContaining("pgdata");
        assertThatThrownBy(() -> real.remove(id, RemoveOptions.FORCE)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("unmount it first");

        assertThat(sio.gateway().requestCount("POST /api/instances/Volume::{id}/action/removeMappedSdc")).isZero();
        assertThat(real.inspect(id).orElseThrow().attachmentTo(here)).isPresent();
        assertThat(Files.readString(m.path().resolve("kept"))).isEqualTo("kept");
        storage.unmount("pgdata", ConsumerId.of("c"));
        storage.remove("pgdata", RemoveOptions.DEFAULT);
        assertThat(real.inspect(id)).isEmpty();
    }

    @Test
    void aGatewayRestartInTheMiddleOfAMountCostsOneLoginAndTheMountCompletes() throws Exception {
        StorageDriver real = sio.newDriver("local");
        StorageDriver restarting = new RestartBeforeAttach(real, sio);
        storage = libStorage(restarting);
        real.list();                                    // the first login, made at first need
        sio.gateway().resetRequestLog();
        MountedVolume m = storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(m.formatted()).isTrue();
        Files.writeString(m.path().resolve("ok"), "ok");
        assertThat(sio.gateway().requestCount("GET /api/login")).isEqualTo(1);
        storage.unmount("pgdata", ConsumerId.of("c"));
    }

    @Test
    void aGatewayThatStopsAnsweringMidMountFailsClearlyAndLeavesNothingAttached() {
        StorageDriver real = sio.newDriver("local");
        storage = libStorage(real);
        storage.create("pgdata", storage.defaultSpec());
        sio.gateway().addFault(io.libstorage.emulator.scaleio.FaultRule.dropConnection("addMappedSdc").withTimes(-1));
        assertThatThrownBy(() -> storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("addMappedSdc")
                .hasMessageContaining("pgdata");
        sio.gateway().clearFaults();
        assertThat(real.findByName("pgdata").orElseThrow().attachments()).isEmpty();
        assertThat(storage.inspect("pgdata").orElseThrow().consumers()).isEmpty();
        assertThat(storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT).path()).isDirectory();
        storage.unmount("pgdata", ConsumerId.of("c"));
    }

    /** A driver that restarts the emulated gateway just before each attach. */
    private static final class RestartBeforeAttach extends ForwardingStorageDriver {
        private final EmulatedScaleIo sio;

        RestartBeforeAttach(StorageDriver delegate, EmulatedScaleIo sio) {
            super(delegate);
            this.sio = sio;
        }

        @Override
        public AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
            sio.gateway().restart();
            return super.attach(id, host, options);
        }
    }
}
