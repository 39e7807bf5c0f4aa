/**
 * Test support for libstorage-java and for drivers written by others: the in-memory storage and OS
 * drivers ({@link io.libstorage.testing.InMemoryCluster}), a JUnit 5 extension, and the conformance
 * kit ({@code io.libstorage.testing.tck}).
 */
module io.libstorage.testing {
    requires transitive io.libstorage.api;
    requires transitive io.libstorage.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports io.libstorage.testing;
    exports io.libstorage.testing.tck;

    provides io.libstorage.spi.StorageDriverProvider with io.libstorage.testing.internal.MemoryStorageDriverProvider;
    provides io.libstorage.spi.OSDriverProvider with io.libstorage.testing.internal.MemoryOSDriverProvider;
}
