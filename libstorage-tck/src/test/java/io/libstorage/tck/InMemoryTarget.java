package io.libstorage.tck;

import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;

import java.nio.file.Path;
import java.util.List;

/** The conformance target for the in-memory drivers: a fresh cluster per test, local host {@code local}. */
final class InMemoryTarget implements TckTarget {
    final InMemoryCluster cluster = InMemoryCluster.create();

    @Override
    public StorageDriver newDriver() {
        return cluster.storageDriver("local");
    }

    @Override
    public OSDriver newOsDriver() {
        return cluster.osDriver("local");
    }

    @Override
    public Path workDir() {
        return cluster.workDir();
    }

    @Override
    public long backendMutations() {
        return cluster.calls().mutations();
    }

    @Override
    public StorageDriver newDriverForHost(String hostName) {
        return cluster.storageDriver(hostName);
    }

    @Override
    public OSDriver newOsDriverForHost(String hostName) {
        return cluster.osDriver(hostName);
    }

    /** Two, so that a filesystem recorded at create can differ from the default (the first). */
    @Override
    public List<String> fsTypes() {
        return List.of("ext4", "xfs");
    }

    @Override
    public void killHost(String hostName) {
        cluster.killHost(hostName);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
