package io.libstorage.spi;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.UnsupportedFeatureException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.support.Takeover;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The control plane of one storage back end: ScaleIO gateway, VirtualBox web service, the local
 * image directory, an in-memory model.
 *
 * <p><b>Idempotency.</b> Every mutating method converges: called again in the target state it
 * succeeds without a second side effect on the back end. {@code create} of an existing name with a
 * compatible spec returns the existing volume (an incompatible spec raises
 * {@link io.libstorage.api.VolumeSpecConflictException}); {@code attach} of a volume already
 * attached to the host returns that attachment; {@code detach} and {@code remove} of something
 * already gone succeed.
 *
 * <p><b>Names.</b> Lookups by name are exact. Two back-end volumes with one name raise
 * {@link io.libstorage.api.AmbiguousVolumeException}. A volume attached to another host is reported
 * as such, never as missing.
 *
 * <p><b>Attach and pre-emption.</b> A driver supplies the primitives of an attach ({@link #mapping}:
 * read the volume, the evidence about an owner, unmap, map) and the default {@link #attach} puts them
 * in the one order of {@link io.libstorage.spi.support.Takeover}: decide from the caller's
 * {@link io.libstorage.api.PreemptionPolicy} and the evidence, fence the owner (unmap it), verify the
 * unmap by reading again, and only then map. A single-writer volume is never mapped to two hosts.
 * Drivers do not override {@link #attach} (the conformance kit checks it).
 *
 * <p><b>Storage only.</b> A driver never formats, mounts, unmounts, grows or freezes a filesystem:
 * that is the integration layer's. What it must know about this host's use of a device (is it
 * mounted, who holds it) it asks {@link DriverContext#host()}.
 *
 * <p>Implementations are thread-safe. Optional operations default to raising
 * {@link UnsupportedFeatureException}; {@link #features()} lists the ones implemented.
 */
public interface StorageDriver extends AutoCloseable {

    /** The back-end name used in messages and configuration, e.g. {@code scaleio}. */
    String name();

    /** The optional features this driver implements. */
    Set<Feature> features();

    /** This host's side of the back end: its identity and where attached devices appear. */
    HostSide hostSide();

    /** The volume with this id, if it exists. */
    Optional<Volume> inspect(VolumeId id);

    /**
     * The volume with exactly this name, if one exists.
     *
     * @throws io.libstorage.api.AmbiguousVolumeException when several volumes carry the name
     */
    Optional<Volume> findByName(String name);

    /** Every volume this driver manages (its namespace, not every volume of the storage system). */
    List<Volume> list();

    /** Creates a volume or returns the existing one with this name and a compatible spec. */
    Volume create(String name, VolumeSpec spec);

    /**
     * Removes the volume. Missing volume: success, unless {@code options.strict()}. Attached volume:
     * {@link io.libstorage.api.VolumeInUseException} unless {@code options.force()}, in which case it
     * is detached from every host first. Forced never deletes a device that is mounted or still open
     * where the driver can see it (this host's mount table and processes; every loop device for
     * localfs): that is refused, and nothing is deleted. Unmounting first is the integration layer's.
     */
    void remove(VolumeId id, RemoveOptions options);

    /**
     * Attaches the volume to {@code host} under the options' pre-emption policy. Already attached
     * there: returns the attachment with {@code changed == false}. Runs {@link io.libstorage.spi.support.Takeover}
     * over {@link #mapping}; drivers implement the primitives, not this method.
     */
    default AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
        try (VolumeMapping mapping = mapping(id, host)) {
            return Takeover.attach(mapping, host, options);
        }
    }

    /**
     * The primitives of one attach of volume {@code id} to {@code target}, for {@link #attach}. Checks
     * what can be checked before the volume is read (e.g. whether the driver can attach to that host)
     * and takes what must be held until {@link VolumeMapping#close()} (e.g. a lock serialising attaches).
     *
     * @throws io.libstorage.api.VolumeNotFoundException when the volume does not exist
     */
    VolumeMapping mapping(VolumeId id, HostId target);

    /**
     * Detaches the volume from {@code host}. Not attached there: success without a back-end change.
     * A device this host still has mounted is not pulled from under its filesystem: that is refused,
     * forced or not (unmounting first is the integration layer's).
     */
    void detach(VolumeId id, HostId host, DetachOptions options);

    /**
     * What the storage system says about a host's connection, for pre-emption decisions. Drivers
     * without {@link Feature#OWNER_LIVENESS} answer {@link Liveness#UNKNOWN}.
     */
    default OwnerEvidence ownerEvidence(HostId host) {
        return new OwnerEvidence(host, Liveness.UNKNOWN, null, name());
    }

    /**
     * Takes a snapshot; idempotent by snapshot name for one volume. A driver whose snapshot of a
     * mounted volume is consistent only while its filesystem is frozen says so with
     * {@link #snapshotsNeedFrozenFilesystem()}; the caller freezes it.
     */
    default Snapshot snapshot(VolumeId id, String snapshotName) {
        throw unsupported("snapshot", id.value(), Feature.SNAPSHOTS);
    }

    /**
     * Whether a snapshot of a volume whose filesystem is mounted needs that filesystem frozen around
     * it (e.g. the snapshot copies the image file over time, as localfs does); {@code false} where the
     * back end takes it at one point in time. The integration layer then freezes the filesystem
     * ({@link OSDriver#freeze}) for the snapshot and thaws it after.
     */
    default boolean snapshotsNeedFrozenFilesystem() {
        return false;
    }

    /**
     * How many bytes new volumes can still take on the back end, when the back end knows it (localfs: the free space
     * of the filesystem holding its root); empty when it does not. Read-only; the answer changes as volumes are
     * created and written (sparse images grow).
     */
    default OptionalLong availableCapacityBytes() {
        return OptionalLong.empty();
    }

    /** The snapshots of a volume. */
    default List<Snapshot> snapshots(VolumeId id) {
        throw unsupported("list snapshots", id.value(), Feature.SNAPSHOTS);
    }

    /** Removes a snapshot; missing is success. */
    default void removeSnapshot(SnapshotId id) {
        throw unsupported("remove snapshot", id.value(), Feature.SNAPSHOTS);
    }

    /**
     * Grows a volume to at least {@code newSizeBytes} (rounded up as the back end requires); a volume
     * already that large is returned unchanged (never shrunk). Storage only: where the driver controls
     * this host's device (a loop device) it makes the device show the new size; the filesystem on it is
     * grown by the integration layer ({@link OSDriver#growFilesystem}).
     */
    default Volume grow(VolumeId id, long newSizeBytes) {
        throw unsupported("grow", id.value(), Feature.GROW);
    }

    /**
     * Finishes or cleans up what interrupted calls (a crash, a kill) left in the driver's own files or
     * state, such as half-made volumes or temporary files, and reports what needs a person (data it
     * cannot account for is kept, never deleted). Called by the integration driver's reconcile; safe
     * while other processes use the back end; idempotent: in a converged state it changes nothing.
     * Default: nothing to do.
     */
    default BackendReconcile reconcile() {
        return BackendReconcile.NOTHING;
    }

    /** Releases client resources (connections, threads). Idempotent. */
    @Override
    default void close() {
    }

    /** The exception an optional operation raises when not implemented. */
    default UnsupportedFeatureException unsupported(String operation, String volume, Feature feature) {
        return new UnsupportedFeatureException(
                ErrorContext.of(operation, volume, hostSide().localHost().value(), name()), feature);
    }
}
