package io.libstorage.spi;

import io.libstorage.api.Attachment;
import io.libstorage.api.HostId;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The part of a back end that runs on this host (libStorage called it the executor): who this host
 * is to the storage system, and where an attached volume's block device appears.
 *
 * <p>All methods are read-only and idempotent. Waiting, bounded, for a device to appear is the
 * caller's ({@link io.libstorage.spi.support.DeviceWait}).
 */
public interface HostSide {

    /** This host's identity as the storage system knows it. */
    HostId localHost();

    /** The local block device for an attachment to this host, if it is present right now. */
    Optional<Path> findDevice(Attachment attachment);

    /** What {@link #findDevice} searches, for error messages (paths, strategies). */
    List<String> searchedLocations(Attachment attachment);

    /**
     * Whether the back end can prove, from its own knowledge and without reading the device, that {@code device}
     * (the device of {@code attachment}, just found) holds nothing but zeros: e.g. localfs, for the loop device of
     * an image it made empty and that nothing has written to since. {@code true} lets the integration layer skip
     * its signature probe (the OS driver still checks the device right before it formats); {@code false}, the
     * default and the answer whenever there is any doubt, means the full probe. Read-only, idempotent, never throws.
     */
    default boolean provesBlank(Attachment attachment, Path device) {
        return false;
    }

    /** Asks the host to look for new devices (e.g. {@code drv_cfg --rescan}). */
    default void rescan() {
    }
}
