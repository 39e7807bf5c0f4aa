package io.libstorage.api;

import org.jspecify.annotations.Nullable;

/**
 * {@link PreemptionPolicy#IF_OWNER_UNREACHABLE} was requested but the storage system does not show
 * the owner as unreachable. Names the owner and what the back end says about it. Nothing was unmapped.
 */
public final class OwnerStillAliveException extends StorageException {
    private final HostId owner;
    private final OwnerEvidence evidence;

    public OwnerStillAliveException(ErrorContext context, HostId owner, OwnerEvidence evidence) {
        this(context, owner, evidence, null, null);
    }

    /** The refusal as the caller's operation reports it, with a {@code remedy} saying what would allow taking the volume (or {@code null}). */
    public OwnerStillAliveException(ErrorContext context, HostId owner, OwnerEvidence evidence, @Nullable String remedy,
                                   @Nullable Throwable cause) {
        super(context, "volume is attached to another host '" + owner.value() + "', which is not shown as unreachable ("
                + evidence.describe() + "); nothing was unmapped" + (remedy == null || remedy.isBlank() ? "" : "; " + remedy), cause);
        this.owner = owner;
        this.evidence = evidence;
    }

    public HostId owner() {
        return owner;
    }

    public OwnerEvidence evidence() {
        return evidence;
    }

    @Override
    public String code() {
        return "OWNER_STILL_ALIVE";
    }
}
