package io.libstorage.localfs;

import io.libstorage.spi.StorageDriver;

import java.nio.file.Path;

/**
 * The {@code localfs} storage driver (created by its {@link io.libstorage.spi.StorageDriverProvider}
 * named {@code localfs}): volumes are sparse image files under {@link #root()}, attached to this
 * host only, as loop devices. Everything {@link StorageDriver} promises holds: every mutation is
 * idempotent (a repeat finds the target state and changes nothing), and mutations are serialised
 * across threads and processes by a lock file in the root.
 *
 * <p>The kernel is the source of truth for attachments: a volume is attached while a loop device's
 * backing file is its image, whatever the metadata says.
 */
public interface LocalFsDriver extends StorageDriver {

    /** The root directory holding the images and their metadata. */
    Path root();

    /** What the reconcile run when the driver was created found and did. */
    LocalFsReport startupReport();

    /**
     * Runs the start-up reconcile again (also what {@link #reconcile()} runs): finishes interrupted
     * removals, deletes half-written images and temporary files, adopts loop devices attached to
     * images under the root without a record,
     * drops recorded attachments whose loop device vanished, deletes never-written images without
     * metadata, quarantines ones that hold data, and reports orphans. Idempotent: a second run in a
     * converged state changes nothing.
     */
    LocalFsReport reconcileRoot();
}
