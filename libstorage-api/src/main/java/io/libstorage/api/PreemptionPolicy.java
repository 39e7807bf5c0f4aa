package io.libstorage.api;

/**
 * What an attach may do when the volume is attached to another host. A per-call choice, never a
 * global switch.
 */
public enum PreemptionPolicy {
    /** Fail with {@link VolumeAttachedToOtherHostException} naming the owner; change nothing. The default. */
    NEVER,
    /**
     * Take the volume only with evidence from the storage system (or an explicit assertion by the
     * caller) that the owner is unreachable; fence the owner, verify the fence, then map.
     * Otherwise fail with {@link OwnerStillAliveException} and change nothing.
     */
    IF_OWNER_UNREACHABLE,
    /** Fence the owner and take the volume whatever its state. Dangerous: an owner that is alive loses unflushed writes. */
    ALWAYS
}
