package io.libstorage.api;

/** How many hosts may attach a volume at once, and how. */
public enum AccessMode {
    /** One host attaches it read-write (the default, safe for ext4/xfs/btrfs). */
    SINGLE_HOST_READ_WRITE,
    /** Many hosts may attach it, all read-only. */
    MULTI_HOST_READ_ONLY,
    /** Many hosts may attach it read-write: only for cluster filesystems that coordinate their writers. */
    MULTI_HOST_CLUSTER;

    /**
     * The mode named by {@code text}: a constant name (any case, {@code -} for {@code _}) or the CSI-style
     * short forms {@code rwo}, {@code rox}, {@code rwx}; empty when it names none.
     */
    public static java.util.Optional<AccessMode> parse(String text) {
        String v = text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        switch (v) {
            case "RWO":
                return java.util.Optional.of(SINGLE_HOST_READ_WRITE);
            case "ROX":
                return java.util.Optional.of(MULTI_HOST_READ_ONLY);
            case "RWX":
                return java.util.Optional.of(MULTI_HOST_CLUSTER);
            default:
                for (AccessMode m : values()) {
                    if (m.name().equals(v)) {
                        return java.util.Optional.of(m);
                    }
                }
                return java.util.Optional.empty();
        }
    }

    public boolean allowsMultipleHosts() {
        return this != SINGLE_HOST_READ_WRITE;
    }
}
