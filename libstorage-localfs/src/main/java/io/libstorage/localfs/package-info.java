/**
 * The localfs storage driver: volumes are sparse files under a root directory, attached as loop devices of this
 * host only (no remote attach). {@link io.libstorage.localfs.LocalFsDriver} is the driver's own view for embedders and
 * tests (its root and the reconcile of that root), {@link io.libstorage.localfs.LocalFsReport} what such a reconcile
 * found and did.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.localfs;

import org.jspecify.annotations.NullMarked;
