/**
 * The entry point: {@link io.libstorage.core.LibStorage} built from a {@code config.yml}
 * ({@link io.libstorage.core.LibStorageConfig}) or a builder, with the drivers found by
 * {@link io.libstorage.core.DriverCatalog}. Every front end (Docker plugin, command line, dvdcli mode, CSI plugin,
 * embedders) calls only {@code LibStorage}'s own methods: mount, unmount, create, remove, attach, detach, snapshots,
 * grow, reconcile, the back end's features, an error context with this host's name and the effective settings.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.core;

import org.jspecify.annotations.NullMarked;
