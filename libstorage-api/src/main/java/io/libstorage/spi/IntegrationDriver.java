package io.libstorage.spi;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * "Give consumer C the volume named N, mounted": what applications, the CLI and the Docker plugin
 * call. Composes a {@link StorageDriver}, its {@link HostSide} and an {@link OSDriver}.
 *
 * <p><b>Idempotency and crash safety.</b> Each call re-derives the real state (back end, device,
 * mount table, durable records) and does only the missing steps, under a per-volume lock that
 * serialises threads and processes. A repeat, or a retry after a crash at any step, converges to
 * the same result and never formats a device twice. Consumers are a durable set per volume: the
 * first consumer in attaches, formats (blank devices only) and mounts; the last one out unmounts
 * and detaches.
 */
public interface IntegrationDriver extends AutoCloseable {

    /**
     * Mounts the volume for {@code consumer} and returns where. Repeating it returns the same path, with
     * {@link MountedVolume#consumerAdded()} {@code false}.
     */
    MountedVolume mount(String name, ConsumerId consumer, MountOptions request);

    /**
     * Removes {@code consumer} from the volume's holders; the last one out unmounts and detaches.
     * Unknown consumer or unmounted volume: success.
     */
    void unmount(String name, ConsumerId consumer);

    /**
     * The consumer path while the volume is mounted on this host: this host's record has consumers and
     * this host's mount table shows the recorded device at the volume's mount point. No back-end call.
     */
    Optional<Path> path(String name);

    /**
     * The volume's status from this host alone, while it is mounted here (as {@link #path}): the volume as
     * recorded when it was mounted, attached to this host, with its consumers and path. No back-end call,
     * so a front end can answer a frequent read of a mounted volume at no cost to the storage system.
     * Empty when the volume is not mounted here; ask {@link #inspect} then.
     *
     * <p>What this host cannot know is not shown: attachments to other hosts (of a multi-host volume) and
     * back-end changes since the mount (a grow from another host). A takeover by another host shows once
     * this host's device of the volume is gone (then this is empty); a back end that keeps the old device
     * node while a filesystem is mounted on it is seen only by {@link #inspect} and {@link #reconcile()}.
     */
    Optional<VolumeStatus> mountedHere(String name);

    /**
     * The name under which this host holds volume {@code id} (a record with consumers or an unfinished
     * operation), if it does: a back end that shows a volume under another name before this host learns the
     * user's (ScaleIO's hashed gateway name) must not make one volume two on this host. Read-only, no back-end call.
     */
    default Optional<String> nameHeldHere(VolumeId id) {
        return Optional.empty();
    }

    /** Creates a volume, or returns the existing one with a compatible spec. */
    Volume create(String name, VolumeSpec spec);

    /** The spec used for implicit creates and for front ends that have no size of their own (from configuration). */
    VolumeSpec defaultSpec();

    /**
     * Removes a volume; refuses one in use unless forced. Missing is success unless strict. Forced
     * means "without asking", never "destroy what is in use": it drops this host's consumers and
     * unmounts, detaches and removes, but a mount that processes still use is refused with
     * {@link io.libstorage.api.VolumeInUseException} naming them (nothing changes), and a volume
     * attached to another host is taken from it only while the back end reports that host disconnected.
     */
    void remove(String name, RemoveOptions options);

    /** Every volume of the back end's namespace, with its state on this host. */
    List<VolumeStatus> list();

    /** One volume by exact name, with its state on this host. Never reports a volume attached elsewhere as missing. */
    Optional<VolumeStatus> inspect(String name);

    /** Attaches the volume to this host (no format, no mount). */
    Attachment attach(String name, AttachOptions options);

    /**
     * Detaches the volume from this host; refuses while mounted or held unless forced. Forced drops
     * the consumers without asking and unmounts, but a mount that processes still use is refused with
     * {@link io.libstorage.api.VolumeInUseException} naming them, and nothing changes. On success the
     * volume is no longer attached to this host.
     */
    void detach(String name, DetachOptions options);

    /**
     * Takes a snapshot of the volume; idempotent by snapshot name. Where the storage driver needs it
     * ({@link StorageDriver#snapshotsNeedFrozenFilesystem()}) a filesystem mounted on this host is
     * frozen for the snapshot and thawed after (a crash in between is thawed by the next start or reconcile).
     */
    Snapshot snapshot(String name, String snapshotName);

    /**
     * Grows the volume to at least {@code newSizeBytes} (never shrinks it), then its filesystem on this
     * host: online where it is mounted, offline where it is attached and not mounted. Where it is not
     * attached here only the storage grows; repeating the grow where it is attached grows the
     * filesystem. Idempotent: repeating it changes nothing more. A filesystem that cannot grow the way
     * it is used (Linux: a mounted ext4 without {@code CAP_SYS_RESOURCE}, an unmounted xfs or btrfs)
     * fails after the storage grew, saying which way works.
     */
    GrownVolume grow(String name, long newSizeBytes);

    /**
     * Repairs this host's state after a restart without dropping consumers: completes interrupted
     * unmounts, rolls back interrupted mounts, lazily unmounts stale mounts (device gone, I/O errors,
     * volume now mapped elsewhere) and never remounts them.
     */
    ReconcileReport reconcile();

    /**
     * As {@link #reconcile()}, and also drops every consumer not in {@code liveConsumers}; volumes
     * left without consumers are unmounted and detached.
     */
    ReconcileReport reconcile(Set<ConsumerId> liveConsumers);

    @Override
    default void close() {
    }
}
