/**
 * Runnable stories of embedding the library: a plain mount and unmount ({@link io.libstorage.examples.EmbeddedUsage}),
 * a local demo on loop devices, and a failover between simulated hosts over the in-memory back end, each through
 * {@code LibStorage} alone. Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.examples;

import org.jspecify.annotations.NullMarked;
