/**
 * An in-memory storage system shared by simulated hosts ({@link io.libstorage.inmemory.InMemoryCluster}):
 * a storage driver and an OS driver per host, fault injection and call counts. No test framework: tests,
 * demos and libstorage-core's own tests use it alike. Its drivers are wired explicitly (no
 * {@code ServiceLoader} registration), so that every cluster is owned by whoever created it.
 */
module io.libstorage.inmemory {
    requires transitive io.libstorage.api;

    exports io.libstorage.inmemory;
}
