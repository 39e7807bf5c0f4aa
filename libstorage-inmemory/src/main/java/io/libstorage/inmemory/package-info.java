/**
 * An in-memory storage system shared by simulated hosts, for tests and demos that need no root: create an
 * {@link io.libstorage.inmemory.InMemoryCluster}, take a host's {@code storageDriver} and {@code osDriver} (or
 * the {@code memory} providers, for code that picks drivers by name) and build a {@code LibStorage} on them;
 * then kill, partition, heal or reboot hosts, inject faults through {@link io.libstorage.inmemory.Faults}, and
 * check what reached the back end and the hosts' OS through {@link io.libstorage.inmemory.CallCounts} and the
 * cluster's inspection methods. Every cluster is owned by the code that created it (there is no registry), and
 * its {@code close()} deletes everything it made. No test framework is involved: libstorage-tck builds its JUnit
 * extension on this package, and libstorage-core tests its own pipeline with it.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.inmemory;

import org.jspecify.annotations.NullMarked;
