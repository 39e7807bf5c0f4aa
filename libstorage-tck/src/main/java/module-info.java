/**
 * Test support for libstorage-java and for drivers written by others: the conformance kit (two abstract
 * suites, {@link io.libstorage.tck.StorageDriverContract} and {@link io.libstorage.tck.IntegrationContract}),
 * a JUnit 5 extension giving tests a {@code LibStorage} over libstorage-inmemory
 * ({@link io.libstorage.tck.LibStorageExtension}), and test fixtures.
 */
module io.libstorage.tck {
    requires transitive io.libstorage.api;
    requires transitive io.libstorage.core;
    requires transitive io.libstorage.inmemory;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports io.libstorage.tck;
}
