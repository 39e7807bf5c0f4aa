package io.libstorage.emulator.vbox.internal.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a running VM's guest sees of its hard disks. {@link #none()} keeps it purely in the model (protocol tests
 * without root); {@link LoopDataPath} makes each one a real loop device behind its udev-style link.
 */
public interface DataPath extends AutoCloseable {

    /**
     * Makes the guest of {@code vmId} see exactly {@code disks} (medium UUID to backing file): missing ones are attached
     * and linked in {@code diskIdPath}, others detached and unlinked.
     */
    void reconcile(UUID vmId, Path diskIdPath, Map<UUID, Path> disks) throws IOException;

    /** The loop device of a medium in a VM's guest, or null. */
    Path device(UUID diskId, UUID vmId);

    /** Detaches every device and removes every link this data path created. */
    @Override
    void close();

    static DataPath none() {
        return new DataPath() {
            @Override
            public void reconcile(UUID vmId, Path diskIdPath, Map<UUID, Path> disks) {
            }

            @Override
            public Path device(UUID diskId, UUID vmId) {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The link udev creates for a VirtualBox AHCI disk: the serial {@code VB%08x-%08x} of the medium UUID's first and
     * last 32-bit words as VirtualBox stores them, i.e. the first 8 hex digits and the last 8 hex digits byte-reversed.
     * {@code 32a50c6d-ddcc-4e0a-a3c6-5c126a5f3f2c} gives {@code ata-VBOX_HARDDISK_VB32a50c6d-2c3f5f6a}.
     */
    static String linkName(UUID diskId) {
        String hex = diskId.toString().replace("-", "").toLowerCase(Locale.ROOT);
        String last = hex.substring(24);
        String reversed = last.substring(6, 8) + last.substring(4, 6) + last.substring(2, 4) + last.substring(0, 2);
        return "ata-VBOX_HARDDISK_VB" + hex.substring(0, 8) + "-" + reversed;
    }
}
