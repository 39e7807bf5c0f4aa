/**
 * The driver SPI, in three layers found through {@link java.util.ServiceLoader}: a
 * {@link io.libstorage.spi.StorageDriver} speaks to one back end (volumes, mappings, snapshots, with its
 * {@link io.libstorage.spi.HostSide} finding devices on this host), an {@link io.libstorage.spi.OSDriver} formats,
 * mounts and reads the mount table of this host, and the {@link io.libstorage.spi.IntegrationDriver} combines both
 * into idempotent mount and unmount with consumers, locks and crash recovery. Each has a provider interface with its
 * configuration keys ({@link io.libstorage.spi.ConfigKey}, read through {@link io.libstorage.spi.DriverConfig}).
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.spi;

import org.jspecify.annotations.NullMarked;
