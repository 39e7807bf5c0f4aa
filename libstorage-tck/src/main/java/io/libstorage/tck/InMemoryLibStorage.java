package io.libstorage.tck;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link LibStorage} for one simulated host of an {@link InMemoryCluster}: that host's storage and OS drivers,
 * its state root and mount root in {@link InMemoryCluster#hostDirectory}, a device wait of 2 s. Closed by the
 * cluster's {@link InMemoryCluster#close()}. What {@link LibStorageExtension} injects; call it for more hosts:
 *
 * <pre>{@code
 * @Test
 * void failover(LibStorage hostA, InMemoryCluster cluster) {
 *     LibStorage hostB = InMemoryLibStorage.onHost(cluster, "host-b");
 *     ...
 * }
 * }</pre>
 */
public final class InMemoryLibStorage {
    private InMemoryLibStorage() {
    }

    /** A new instance for {@code host} (several for one host behave like several processes on it). */
    public static LibStorage onHost(InMemoryCluster cluster, String host) {
        return onHost(cluster, host, b -> { });
    }

    /** As {@link #onHost(InMemoryCluster, String)}, with further settings (listeners, keys) applied last. */
    public static LibStorage onHost(InMemoryCluster cluster, String host, Consumer<LibStorage.Builder> customizer) {
        Path dir = cluster.hostDirectory(host);
        LibStorage.Builder b = LibStorage.builder()
                .storageDriver(cluster.storageDriver(host))
                .osDriver(cluster.osDriver(host))
                .stateRoot(dir.resolve("state"))
                .mountRoot(dir.resolve("mnt"))
                .deviceWaitTimeout(Duration.ofSeconds(2));
        customizer.accept(b);
        LibStorage storage = b.build();
        cluster.onClose(storage);
        return storage;
    }
}
