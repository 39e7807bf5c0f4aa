package io.libstorage.scaleio;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.core.LibStorage;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;
import io.libstorage.spi.support.Takeover;
import io.libstorage.tck.ForwardingStorageDriver;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mount that fails after the volume was mapped to this host undoes the mapping: others would otherwise see the
 * volume attached here (and a remove would be refused) with nothing mounted for anybody.
 */
class ScaleIoMountRollbackIT {
    private EmulatedScaleIo sio;
    private StorageDriver real;
    private LibStorage storage;

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (real != null) {
            real.close();
        }
        if (sio != null) {
            sio.close();
        }
    }

    private LibStorage libStorage(StorageDriver driver, Duration deviceWait) {
        return LibStorage.builder().storageDriver(driver).osDriver("linux").stateRoot(sio.dir().resolve("state"))
                .deviceWaitTimeout(deviceWait).set("integration.volume.operations.create.default.size", "1").build();
    }

    @Test
    void anAttachWhoseDeviceNeverAppearsIsUnmappedAgain() {
        Prerequisites.requireLoopDevices();
        sio = new EmulatedScaleIo(false, "local");             // no data path: a mapped volume's device never appears
        real = sio.newDriver("local");
        storage = libStorage(real, Duration.ofSeconds(1));
        real.create("pgdata", storage.defaultSpec());   // made elsewhere: a create here would format it, attaching it

        assertThatThrownBy(() -> storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(StorageException.class).hasMessageContaining("pgdata");
        assertThat(real.findByName("pgdata").orElseThrow().attachments()).as("mapped to nobody after the failed mount").isEmpty();

        assertThatThrownBy(() -> storage.attach("pgdata", AttachOptions.DEFAULT))
                .isInstanceOf(StorageException.class).hasMessageContaining("pgdata");
        assertThat(real.findByName("pgdata").orElseThrow().attachments()).as("mapped to nobody after the failed attach").isEmpty();
    }

    @Test
    void whatARollbackCannotUndoIsReportedWithWhatIsLeftAndWhy() {
        Prerequisites.requireLoopDevices();
        sio = new EmulatedScaleIo(false, "local");
        real = sio.newDriver("local", java.util.Map.of("attempts", 1), io.libstorage.spi.support.SystemProcessRunner.instance());
        storage = libStorage(new GatewayFailsAfterMap(real, sio, -1), Duration.ofSeconds(1));
        real.create("pgdata", storage.defaultSpec());   // made elsewhere: a create here would format it, attaching it

        assertThatThrownBy(() -> storage.attach("pgdata", AttachOptions.DEFAULT))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(s -> assertThat(s.getMessage())
                        .contains("the rollback did not finish").contains("may stay mapped to this host (" + sio.guid("local") + ")")
                        .contains("did not answer").contains("converges it")));
        sio.gateway().clearFaults();
        storage.detach("pgdata", io.libstorage.api.DetachOptions.DEFAULT);
        assertThat(real.findByName("pgdata").orElseThrow().attachments()).isEmpty();
    }

    @Test
    void aGatewayThatFailsRightAfterTheMapDoesNotLeaveTheMappingBehind() {
        Prerequisites.requireLoopDevices();
        sio = new EmulatedScaleIo(true, "local");
        real = sio.newDriver("local", java.util.Map.of("attempts", 1), io.libstorage.spi.support.SystemProcessRunner.instance());
        storage = libStorage(new GatewayFailsAfterMap(real, sio, 4), Duration.ofSeconds(30));
        real.create("pgdata", storage.defaultSpec());   // made elsewhere: a create here would format it, attaching it

        assertThatThrownBy(() -> storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT))
                .isInstanceOf(StorageException.class).hasMessageContaining("pgdata");
        sio.gateway().clearFaults();
        assertThat(real.findByName("pgdata").orElseThrow().attachments()).as("mapped to nobody after the failed mount").isEmpty();
        assertThat(storage.inspect("pgdata").orElseThrow().consumers()).isEmpty();
    }

    /** The gateway drops the next {@code failures} calls of any kind right after a successful map. */
    private static final class GatewayFailsAfterMap extends ForwardingStorageDriver {
        private final EmulatedScaleIo sio;
        private final int failures;

        GatewayFailsAfterMap(StorageDriver delegate, EmulatedScaleIo sio, int failures) {
            super(delegate);
            this.sio = sio;
            this.failures = failures;
        }

        @Override
        public AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
            try (VolumeMapping m = delegate().mapping(id, host)) {
                return Takeover.attach(new VolumeMapping() {
                    @Override
                    public ErrorContext context() {
                        return m.context();
                    }

                    @Override
                    public Volume read() {
                        return m.read();
                    }

                    @Override
                    public OwnerEvidence evidence(HostId owner) {
                        return m.evidence(owner);
                    }

                    @Override
                    public void unmap(HostId owner) {
                        m.unmap(owner);
                    }

                    @Override
                    public boolean map(HostId target, boolean exclusive) {
                        boolean mapped = m.map(target, exclusive);
                        sio.gateway().addFault(FaultRule.dropConnection(".").withTimes(failures));
                        return mapped;
                    }

                    @Override
                    public Duration ownerGracePeriod() {
                        return m.ownerGracePeriod();
                    }

                    @Override
                    public Clock clock() {
                        return m.clock();
                    }
                }, host, options);
            }
        }
    }
}
