package io.libstorage.examples;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;

/**
 * Wiring a {@link LibStorage} to one simulated host of an {@link InMemoryCluster}: the host's storage and OS
 * drivers, its state (and, below it, its mounts) in the host's directory of the cluster. The cluster closes it.
 * (Tests get the same from libstorage-tck's {@code InMemoryLibStorage}; these programs use no test library.)
 */
public final class SimulatedHosts {
    private SimulatedHosts() {
    }

    public static LibStorage libStorage(InMemoryCluster cluster, String host) {
        LibStorage storage = LibStorage.builder()
                .storageDriver(cluster.storageDriver(host))
                .osDriver(cluster.osDriver(host))
                .stateRoot(cluster.hostDirectory(host))
                .build();
        cluster.onClose(storage);
        return storage;
    }
}
