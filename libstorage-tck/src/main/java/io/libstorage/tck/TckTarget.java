package io.libstorage.tck;

import io.libstorage.api.ByteSizes;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;

import java.nio.file.Path;
import java.util.List;

/**
 * What a driver author hands the conformance suites: fresh drivers on a back end they control,
 * and the few hooks the suites cannot get from the SPI. One target per test; {@link #close()}
 * must leave nothing behind (volumes, devices, mounts, temporary directories).
 */
public interface TckTarget extends AutoCloseable {

    /**
     * A new driver instance for the local host, as a newly started process would create it. Every
     * call returns a new instance over the same back end and local state.
     */
    StorageDriver newDriver();

    /** A new OS driver for the local host (the integration suite mounts through it). */
    OSDriver newOsDriver();

    /** A directory the suites may use for state and mount roots; removed by {@link #close()}. */
    Path workDir();

    /**
     * How many state changes the back end has applied so far (creates, maps, unmaps, removes, ...),
     * counted at the back end itself, not at the driver: the suites assert that repeating an
     * operation adds none.
     */
    long backendMutations();

    /**
     * A driver acting as another host named {@code hostName} on the same back end. Needed when the
     * driver declares {@link io.libstorage.api.Feature#REMOTE_ATTACH}.
     */
    default StorageDriver newDriverForHost(String hostName) {
        throw new UnsupportedOperationException("this target simulates no other hosts");
    }

    /**
     * The OS driver of host {@code hostName} (of {@link #newDriverForHost}); by default this host's, for targets whose
     * hosts share one kernel (loop devices).
     */
    default OSDriver newOsDriverForHost(String hostName) {
        return newOsDriver();
    }

    /**
     * Makes the storage system see host {@code hostName} as gone (its process died). Needed when the
     * driver declares {@link io.libstorage.api.Feature#OWNER_LIVENESS}.
     */
    default void killHost(String hostName) {
        throw new UnsupportedOperationException("this target cannot kill hosts");
    }

    /** The size the suites create volumes with. */
    default long volumeSizeBytes() {
        return 64 * ByteSizes.MIB;
    }

    /**
     * Filesystems the integration suite formats and mounts; the first is the default of its {@code LibStorage}.
     * Give two or more, or the test that a filesystem recorded at create beats the default is skipped.
     */
    default List<String> fsTypes() {
        return List.of("ext4");
    }

    /** How many seeded random crash-and-recover runs the integration suite makes. */
    default int crashRuns() {
        return 1000;
    }

    @Override
    void close();
}
