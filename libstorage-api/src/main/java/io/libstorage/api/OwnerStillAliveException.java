package io.libstorage.api;

/**
 * {@link PreemptionPolicy#IF_OWNER_UNREACHABLE} was requested but the storage system does not show
 * the owner as unreachable. Nothing was unmapped.
 */
public final class OwnerStillAliveException extends StorageException {
    private final HostId owner;
    private final OwnerEvidence evidence;

    public OwnerStillAliveException(ErrorContext context, HostId owner, OwnerEvidence evidence) {
        super(context, "the owner '" + owner.value() + "' is not shown as unreachable (" + evidence.describe()
                + "); nothing was unmapped", null);
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
