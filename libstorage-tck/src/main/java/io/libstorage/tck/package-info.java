/**
 * Test support, published for driver authors and for users' own tests. The conformance kit states the
 * contract of a storage driver once, as two abstract JUnit 5 suites: {@link io.libstorage.tck.StorageDriverContract}
 * (the SPI alone) and {@link io.libstorage.tck.IntegrationContract} (mount, unmount, crashes and reconcile through
 * {@code LibStorage}); a driver's test extends them with a {@link io.libstorage.tck.TckTarget} that says how to make
 * its drivers, and {@link io.libstorage.tck.CrashPlan} with the {@code Instrumented}/{@code Forwarding} wrappers
 * injects crashes and counts calls around any driver. {@link io.libstorage.tck.LibStorageExtension} gives a test a
 * {@code LibStorage} over libstorage-inmemory ({@link io.libstorage.tck.InMemoryLibStorage} adds more hosts), and
 * the fixtures ({@link io.libstorage.tck.Prerequisites}, {@link io.libstorage.tck.LoopDeviceSweeper},
 * {@link io.libstorage.tck.SecretLeaks}) make tests that need root fail under {@code CI=true} instead of skipping,
 * clean up the loop devices they made, and find secrets in captured logs in any encoding.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.tck;

import org.jspecify.annotations.NullMarked;
