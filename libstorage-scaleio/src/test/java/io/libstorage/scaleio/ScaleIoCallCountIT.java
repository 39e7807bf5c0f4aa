package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway calls per operation of the whole mount pipeline (LibStorage, the Linux OS driver, real loop devices),
 * counted exactly from the emulator's request log. Each {@link #run()} is what one command-line run builds: a new
 * driver and library over the same state root.
 */
class ScaleIoCallCountIT {
    private static final String GET_VOLUME = "GET /api/instances/Volume::{id}";
    private static final String QUERY = "POST /api/types/Volume/instances/action/queryIdByKey";
    private static final String MAP = "POST /api/instances/Volume::{id}/action/addMappedSdc";
    private static final String UNMAP = "POST /api/instances/Volume::{id}/action/removeMappedSdc";
    private static final String REMOVE = "POST /api/instances/Volume::{id}/action/removeVolume";

    private EmulatedScaleIo sio;
    private StorageDriver driver;
    private LibStorage storage;

    @BeforeEach
    void start() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4");
        sio = new EmulatedScaleIo(true, "local", "other");
    }

    @AfterEach
    void stop() {
        closeRun();
        if (sio != null) {
            sio.close();
        }
    }

    /** A new process: driver and library built again over the same state. */
    private LibStorage run() {
        closeRun();
        driver = sio.newDriver("local");
        storage = LibStorage.builder().storageDriver(driver).osDriver("linux").stateRoot(sio.dir().resolve("state"))
                .deviceWaitTimeout(Duration.ofSeconds(30)).build();
        return storage;
    }

    private void closeRun() {
        if (storage != null) {
            storage.close();
            driver.close();
            storage = null;
        }
    }

    private List<String> calls() {
        return sio.gateway().requests().stream().map(RequestRecord::endpoint).toList();
    }

    /** Logs in and learns the system and its SDCs, as a running process has, so that what follows counts only the operation's own calls. */
    private void warm() {
        driver.list();
        driver.ownerEvidence(driver.hostSide().localHost());
        sio.gateway().resetRequestLog();
    }

    private static VolumeSpec gib(long n) {
        return VolumeSpec.builder().sizeBytes(n * ByteSizes.GIB).build();
    }

    @Test
    void startingMakesNoCallAndARepeatedMountInANewRunNoneEvenWithTheGatewayDown() throws Exception {
        sio.gateway().resetRequestLog();
        run();
        assertThat(calls()).as("start-up").isEmpty();
        MountedVolume first = storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT);
        Files.writeString(first.path().resolve("kept"), "kept");

        run();                                   // the first run's close logs its session out: not this run's call
        sio.gateway().addFault(FaultRule.dropConnection(".").withTimes(-1));
        sio.gateway().resetRequestLog();
        MountedVolume again = storage.mount("pgdata", ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(again.path()).isEqualTo(first.path());
        assertThat(Files.readString(again.path().resolve("kept"))).isEqualTo("kept");
        assertThat(storage.path("pgdata")).contains(first.path());
        assertThat(calls()).as("a repeated mount in a new run, the gateway down").isEmpty();
        sio.gateway().clearFaults();
        storage.unmount("pgdata", ConsumerId.of("c"));
    }

    @Test
    void aColdMountOfAVolumeThisHostKnowsCostsTwoCallsAndOfOneCreatedElsewhereThree() {
        run();
        storage.create("known", gib(1));
        try (StorageDriver other = sio.newDriver("other")) {
            other.create("elsewhere", gib(1));
        }
        warm();
        storage.mount("known", ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(calls()).as("cold mount, id known here").containsExactly(GET_VOLUME, MAP);

        sio.gateway().resetRequestLog();
        storage.mount("elsewhere", ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(calls()).as("cold mount, never seen here").containsExactly(QUERY, GET_VOLUME, MAP);

        sio.gateway().resetRequestLog();
        storage.unmount("known", ConsumerId.of("c"));
        assertThat(calls()).as("unmount of the last consumer").containsExactly(GET_VOLUME, UNMAP);
        storage.unmount("elsewhere", ConsumerId.of("c"));
    }

    @Test
    void aRemoveReadsTheVolumeOnce() {
        run();
        storage.create("gone", gib(1));
        try (StorageDriver other = sio.newDriver("other")) {
            other.create("elsewhere", gib(1));
        }
        warm();
        storage.remove("gone", RemoveOptions.DEFAULT);
        assertThat(calls()).as("remove, id known here").containsExactly(GET_VOLUME, REMOVE, GET_VOLUME);
        sio.gateway().resetRequestLog();
        storage.remove("elsewhere", RemoveOptions.DEFAULT);
        assertThat(calls()).as("remove, never seen here").containsExactly(QUERY, GET_VOLUME, REMOVE, GET_VOLUME);
    }
}
