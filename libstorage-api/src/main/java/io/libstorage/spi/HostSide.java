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

    /** Asks the host to look for new devices (e.g. {@code drv_cfg --rescan}). */
    default void rescan() {
    }
}
