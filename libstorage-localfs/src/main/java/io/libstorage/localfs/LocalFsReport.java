package io.libstorage.localfs;

import java.util.List;

/**
 * What a localfs reconcile of its root found and did.
 *
 * @param adopted volumes whose loop device was attached without a record (another process, a crash
 *                between {@code losetup} and the metadata write, or by hand), now recorded as attached to this host
 * @param droppedAttachments volumes recorded as attached whose loop device no longer exists (e.g. after a reboot)
 * @param repaired interrupted work finished: half-written images deleted, interrupted removals
 *                 completed, filesystems left frozen by a crashed snapshot thawed
 * @param orphans things under the root the driver will not touch on its own, one line each: images
 *                without metadata, metadata without an image, loop devices still attached to deleted images
 */
public record LocalFsReport(List<String> adopted, List<String> droppedAttachments, List<String> repaired, List<String> orphans) {
    public LocalFsReport {
        adopted = List.copyOf(adopted);
        droppedAttachments = List.copyOf(droppedAttachments);
        repaired = List.copyOf(repaired);
        orphans = List.copyOf(orphans);
    }

    /** Whether the root was already consistent. */
    public boolean clean() {
        return adopted.isEmpty() && droppedAttachments.isEmpty() && repaired.isEmpty() && orphans.isEmpty();
    }
}
