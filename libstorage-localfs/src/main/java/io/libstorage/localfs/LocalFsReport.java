package io.libstorage.localfs;

import java.util.List;

/**
 * What a localfs reconcile of its root found and did.
 *
 * @param adopted volumes whose loop device was attached without a record (another process, a crash
 *                between {@code losetup} and the metadata write, or by hand), now recorded as attached to this host
 * @param droppedAttachments volumes recorded as attached whose loop device no longer exists (e.g. after a reboot)
 * @param repaired interrupted work finished: half-written images and temporary files deleted,
 *                 interrupted removals completed, never-written images without metadata (a create
 *                 killed before its metadata) deleted
 * @param orphans what needs a person, one line each: images without metadata that hold data (moved
 *                to {@code quarantine/}, never deleted; reported when moved), metadata without an
 *                image, unreadable metadata, unexpected files, loop devices still attached to
 *                deleted images or to images without metadata
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
