package io.libstorage.core;

import io.libstorage.inmemory.InMemoryCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link LibStorage} for one simulated host of an {@link InMemoryCluster}, closed with the cluster. The same as
 * libstorage-tck's {@code InMemoryLibStorage}, which core's tests cannot use: libstorage-tck depends on core,
 * and Maven refuses the cycle even in test scope. The host's directories come from the cluster
 * ({@link InMemoryCluster#hostDirectory}), so only this builder call is repeated.
 */
final class InMemoryLibStorage {
    private InMemoryLibStorage() {
    }

    static LibStorage onHost(InMemoryCluster cluster, String host) {
        return onHost(cluster, host, b -> { });
    }

    static LibStorage onHost(InMemoryCluster cluster, String host, Consumer<LibStorage.Builder> customizer) {
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
