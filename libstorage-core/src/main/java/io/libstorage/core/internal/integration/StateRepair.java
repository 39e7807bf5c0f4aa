package io.libstorage.core.internal.integration;

import io.libstorage.api.Attachment;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.core.internal.state.HostStateStore;
import io.libstorage.core.internal.state.HostStateStore.Stored;
import io.libstorage.core.internal.state.StoredVolume;
import io.libstorage.core.internal.state.VolumeRecord;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What happens to a damaged state file ({@link Stored.Damaged}); the damage stays with its volume.
 * <ul>
 *   <li>Calls that change the volume (mount, unmount, remove, detach) set the file aside and go on
 *       without it only when that is provably safe: nothing is mounted at the volume's mount point,
 *       so no consumer on this host can depend on the record. Otherwise they fail, naming the file
 *       and the repair.</li>
 *   <li>Reconcile sets the file aside and rebuilds the record from what the mount table says (a
 *       mount at the volume's mount point: its device and filesystem) and what the back end says (the
 *       volume, its attachment to this host). The consumers the file named are unknown, so a rebuilt
 *       record is held by the anonymous consumer: the volume stays mounted until an unmount without a
 *       consumer id (or a reconcile whose live consumers do not include it) releases it. Nothing
 *       mounted: no record is needed.</li>
 *   <li>Reads (list, inspect, path) report the damage and show what the mount table says.</li>
 * </ul>
 * Damaged files go to {@code <stateRoot>/damaged/}, never deleted. Callers hold the volume's lock
 * for the first two.
 */
final class StateRepair {
    private static final Logger LOG = LoggerFactory.getLogger(StateRepair.class);

    private final HostStateStore store;
    private final StorageDriver storage;
    private final OSDriver os;
    private final IntegrationSettings settings;
    private final VolumeSteps steps;
    private final Clock clock;

    StateRepair(HostStateStore store, StorageDriver storage, OSDriver os, IntegrationSettings settings, VolumeSteps steps, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.os = os;
        this.settings = settings;
        this.steps = steps;
        this.clock = clock;
    }

    /**
     * The record, for a call that changes the volume (the caller holds its lock): a damaged file is
     * set aside when nothing is mounted at the volume's mount point, else the call fails with the
     * repair. Without a record, what killed writes of one left is deleted (a record that exists
     * loses its leftovers when it is deleted, or at reconcile).
     */
    Optional<VolumeRecord> loadForChange(String name, ErrorContext ctx) {
        Stored stored = store.read(name, ctx);
        if (stored instanceof Stored.Present) {
            return stored.asRecord();
        }
        if (!(stored instanceof Stored.Damaged d)) {
            store.deleteTemporaries(name, ctx).forEach(t -> LOG.info("volume '{}': deleted {}, left by an interrupted write", name, t));
            return Optional.empty();
        }
        Path mountPoint = settings.mountPointOf(name);
        if (os.mountAt(ctx, mountPoint).isPresent()) {
            throw store.damaged(d, ctx, " and the volume is mounted at " + mountPoint + ", so who holds it is not known");
        }
        Path aside = store.setAside(name, clock.instant(), ctx);
        LOG.warn("volume '{}': the state file {} was damaged ({}); nothing is mounted at {}, so it was moved to {} and the call goes on "
                + "without it", name, d.file(), d.reason(), mountPoint, aside);
        return Optional.empty();
    }

    /**
     * For reconcile: sets the damaged file aside and rebuilds the record from the mount table and
     * the back end (saved), or none when nothing is mounted. One line per action goes to {@code repaired}.
     */
    Optional<VolumeRecord> rebuild(String name, Stored.Damaged d, ErrorContext ctx, List<String> repaired) {
        Path aside = store.setAside(name, clock.instant(), ctx);
        String what = name + ": the state file " + d.file() + " was damaged (" + d.reason() + "); moved to " + aside;
        Path mountPoint = settings.mountPointOf(name);
        Optional<MountEntry> mount = os.mountAt(ctx, mountPoint);
        if (mount.isEmpty()) {
            repaired.add(what + "; nothing is mounted at " + mountPoint + ", so no record is needed");
            LOG.warn("{}", repaired.get(repaired.size() - 1));
            return Optional.empty();
        }
        Optional<Volume> volume;
        try {
            volume = storage.findByName(name);
        } catch (StorageException e) {
            volume = Optional.empty();
        }
        VolumeRecord rec = VolumeRecord.empty(name, os.bootId(), clock.instant())
                .withVolume(volume.map(StoredVolume::of).orElse(null))
                .withAttachToken(volume.flatMap(v -> v.attachmentTo(steps.localHost())).map(Attachment::deviceToken).orElse(null))
                .withMount(mount.get().source(), mountPoint.toString(), mount.get().fsType())
                .withConsumer(ConsumerId.ANONYMOUS.value());
        store.save(rec, ctx);
        repaired.add(what + "; rebuilt from the mount of " + mount.get().source() + " (" + mount.get().fsType() + ") at " + mountPoint
                + (volume.isPresent() ? " and the back end's volume " + volume.get().id().value() : " (the back end did not answer for it)")
                + "; its consumers are not known, so the anonymous consumer holds it until 'unmount' without a consumer id releases it");
        LOG.warn("{}", repaired.get(repaired.size() - 1));
        return Optional.of(rec);
    }

    /** For reads of a volume whose file is damaged: the consumer path if something is mounted at its mount point. */
    Optional<Path> mountedPath(String name, ErrorContext ctx) {
        Path mountPoint = settings.mountPointOf(name);
        return os.mountAt(ctx, mountPoint).map(m -> settings.consumerPath(mountPoint));
    }

    /** The problem a read reports for a damaged file. */
    String problem(Stored.Damaged d) {
        return "the state file " + d.file() + " is damaged: " + d.reason() + "; its consumers are not known; reconcile repairs it "
                + "(LibStorage.reconcile(), or 'libstorage volume reconcile'), keeping the file under " + store.damagedDirectory();
    }
}
