package io.libstorage.spi;

import java.util.Objects;

/** What a device holds, as far as formatting is concerned. An unreadable device is not a result but an error. */
public sealed interface ProbeResult {

    /** No signature of any kind, and the probed regions read back as zeros. */
    record Blank() implements ProbeResult {
    }

    /**
     * Something is there.
     *
     * @param type e.g. {@code ext4}, {@code xfs}, {@code dos} (partition table), {@code LVM2_member}, {@code crypto_LUKS}, {@code data}
     * @param usage e.g. {@code filesystem}, {@code partition table}, {@code raid}, {@code crypto}, {@code non-zero data}
     */
    record Signature(String type, String usage) implements ProbeResult {
        public Signature {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(usage, "usage");
        }

        /** Whether this is a filesystem (as opposed to a partition table, RAID/LVM member, LUKS or unknown data). */
        public boolean isFilesystem() {
            return usage.equals("filesystem");
        }

        @Override
        public String toString() {
            return usage + " " + type;
        }
    }

    static ProbeResult blank() {
        return new Blank();
    }
}
