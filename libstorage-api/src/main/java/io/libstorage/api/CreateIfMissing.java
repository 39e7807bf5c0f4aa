package io.libstorage.api;

/**
 * Whether a mount creates the volume when no volume has the name ({@link MountOptions#createIfMissing()}).
 */
public enum CreateIfMissing {
    /** As the configuration says ({@code libstorage.integration.volume.operations.create.implicit}). */
    AS_CONFIGURED,
    /** Create it, whatever the configuration says. */
    YES,
    /** Do not create it: a missing volume is a {@link VolumeNotFoundException}. */
    NO;

    /** {@link #YES} for {@code true}, {@link #NO} for {@code false}. */
    public static CreateIfMissing of(boolean create) {
        return create ? YES : NO;
    }

    /** Whether to create, given what the configuration says ({@code configured}). */
    public boolean resolve(boolean configured) {
        return switch (this) {
            case AS_CONFIGURED -> configured;
            case YES -> true;
            case NO -> false;
        };
    }
}
