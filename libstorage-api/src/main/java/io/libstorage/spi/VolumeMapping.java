package io.libstorage.spi;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Volume;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The primitives of an attach, which a storage driver supplies and {@link io.libstorage.spi.support.Takeover}
 * puts in order (the default {@link StorageDriver#attach}): decide from the policy and the back end's
 * evidence, fence the old owner, verify the fence by reading again, then map. A driver never orders
 * these steps itself, so it cannot map before a verified fence.
 *
 * <p>One instance serves one attach of one volume ({@link StorageDriver#mapping}) and is closed after
 * it; a driver that must serialise attaches (a lock file, a session on the back end) holds that from
 * {@code mapping} to {@link #close}. For a VM-attachment back end (VirtualBox): the owners are the
 * VMs the disk is attached to, the evidence is an owner VM's state (powered off, aborted or saved is
 * gone; running is alive), {@link #unmap} detaches the disk from the owner VM and {@link #map}
 * attaches it to the target VM.
 */
public interface VolumeMapping extends AutoCloseable {

    /** The error context of this attach, naming the volume as users know it. */
    ErrorContext context();

    /**
     * The volume as the back end shows it now: its access mode and every host it is mapped to. Asked
     * first, after each {@link #unmap} (to verify the fence) and after {@link #map}; answered from the
     * back end, never from what this object did, except that the first call may return what
     * {@link StorageDriver#mapping} just read.
     *
     * @throws io.libstorage.api.VolumeNotFoundException when the volume is gone
     */
    Volume read();

    /**
     * What the back end says about {@code owner}'s connection, for {@link io.libstorage.api.PreemptionPolicy#IF_OWNER_UNREACHABLE};
     * {@link io.libstorage.api.Liveness#UNKNOWN} where it cannot tell. Not asked for owners the caller declared dead.
     */
    OwnerEvidence evidence(HostId owner);

    /**
     * Fences {@code owner}: unmaps the volume from it. Need not check the result (the template reads
     * again); throws to refuse or when the back end fails, and nothing is mapped then. A driver refuses
     * here what it must never take, e.g. a device the owner has mounted where the driver can see it.
     */
    void unmap(HostId owner);

    /**
     * Maps the volume to {@code target}. With {@code exclusive} (a single-writer volume) the back end
     * must refuse the map while another host holds the volume, atomically with the map (a lock held
     * since {@link StorageDriver#mapping}, or the back end's own check): returns {@code false} then,
     * and {@code true} once the map is done (also when it already was).
     */
    boolean map(HostId target, boolean exclusive);

    /**
     * The volume after {@link #map} returned {@code true}, built from {@code before} (the template's latest
     * {@link #read()}) where the back end's acknowledgement of the map is itself the proof that the volume is
     * mapped to {@code target}: a map call that fails unless the mapping exists, exclusive where asked. Empty (the
     * default) makes the template read the volume back from the back end. A driver answers here only what the
     * back end guaranteed; the host's device wait checks the mapping again physically.
     */
    default Optional<Volume> acknowledgedMap(Volume before, HostId target) {
        return Optional.empty();
    }

    /** How long an owner must have been disconnected before it counts as unreachable; zero by default. */
    default Duration ownerGracePeriod() {
        return Duration.ZERO;
    }

    /** The clock for the evidence of owners the caller declares dead and for the grace period. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** Releases what {@link StorageDriver#mapping} took (a lock, a session). Idempotent. */
    @Override
    default void close() {
    }
}
