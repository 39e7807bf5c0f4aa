package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.Snapshot;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeNames;
import io.libstorage.core.internal.state.VolumeLocks;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Snapshots, with the mounted filesystem frozen around the storage snapshot where the storage driver
 * needs it ({@link StorageDriver#snapshotsNeedFrozenFilesystem()}). Before freezing, a note naming
 * the mount point is written to {@code <stateRoot>/frozen/<volume>}; it is deleted after the thaw. A
 * note found later belongs to a call that died with the filesystem frozen (the caller holds the
 * volume's lock, so no live call wrote it): its filesystem is thawed at the next start of the
 * integration driver and by reconcile, as writers to a frozen filesystem wait forever.
 */
final class FrozenSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(FrozenSnapshots.class);

    private final StorageDriver storage;
    private final OSDriver os;
    private final VolumeSteps steps;
    private final Path notes;

    FrozenSnapshots(StorageDriver storage, OSDriver os, VolumeSteps steps, Path stateRoot) {
        this.storage = storage;
        this.os = os;
        this.steps = steps;
        this.notes = stateRoot.resolve("frozen");
    }

    /** Takes the snapshot; the caller holds the volume's lock. */
    Snapshot take(Volume volume, String snapshotName, ErrorContext ctx) {
        if (!storage.snapshotsNeedFrozenFilesystem()) {
            return storage.snapshot(volume.id(), snapshotName);
        }
        Optional<MountEntry> mount = steps.mountsHere(volume, ctx).stream().findFirst();
        if (mount.isEmpty()) {
            return storage.snapshot(volume.id(), snapshotName);
        }
        Optional<Snapshot> taken = storage.snapshots(volume.id()).stream().filter(s -> s.name().equals(snapshotName)).findFirst();
        if (taken.isPresent()) {
            return taken.get();
        }
        // one freeze per filesystem: every mount of the device shares the superblock
        Path mountPoint = mount.get().mountPoint();
        freeze(volume.name(), mountPoint, ctx);
        Snapshot snapshot;
        try {
            snapshot = storage.snapshot(volume.id(), snapshotName);
        } catch (RuntimeException e) {
            try {
                thaw(volume.name(), mountPoint, ctx);
            } catch (RuntimeException thawing) {
                e.addSuppressed(thawing);
            }
            throw e;
        }
        thaw(volume.name(), mountPoint, ctx);
        LOG.info("took snapshot '{}' of volume '{}' with {} frozen [{}]", snapshotName, volume.name(), mountPoint, ctx.describe());
        return snapshot;
    }

    private void freeze(String volume, Path mountPoint, ErrorContext ctx) {
        Path note = notes.resolve(volume);
        try {
            AtomicFiles.write(note, mountPoint.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write " + note + " before freezing " + mountPoint + ": " + e.getMessage(), e);
        }
        try {
            os.freeze(ctx, mountPoint);
        } catch (RuntimeException e) {
            deleteNote(note);
            throw e;
        }
    }

    /** Thaws and deletes the note; a failed thaw keeps the note, so that a later start or reconcile thaws it. */
    private void thaw(String volume, Path mountPoint, ErrorContext ctx) {
        os.thaw(ctx, mountPoint);
        deleteNote(notes.resolve(volume));
    }

    /** The volumes with a note, i.e. possibly frozen by a call that died. */
    List<String> notedVolumes() {
        if (!Files.isDirectory(notes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(notes)) {
            return files.map(p -> p.getFileName().toString()).filter(VolumeNames::isValid).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Thaws what a call that died left frozen for {@code volume} (the caller holds its lock) and
     * deletes the note; returns what was done, or empty when there was no note.
     */
    Optional<String> thawLeftover(String volume, ErrorContext ctx) {
        Path note = notes.resolve(volume);
        String mountPoint;
        try {
            mountPoint = Files.readString(note, StandardCharsets.UTF_8).strip();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot read the freeze note " + note + ": " + e.getMessage(), e);
        }
        Path mp = Path.of(mountPoint);
        if (os.mountAt(ctx, mp).isEmpty()) {
            deleteNote(note);
            return Optional.of("dropped the freeze note of a snapshot that did not finish; " + mp + " is no longer mounted");
        }
        os.thaw(ctx, mp);
        deleteNote(note);
        return Optional.of("thawed " + mp + ", left frozen by a snapshot that did not finish");
    }

    /** {@link #thawLeftover} for every note, each under its volume's lock (at the integration driver's start). */
    void thawLeftovers(VolumeLocks locks, ErrorContext base) {
        for (String volume : notedVolumes()) {
            ErrorContext ctx = base.withVolume(volume);
            try (VolumeLocks.Held ignored = locks.acquire(volume, ctx)) {
                thawLeftover(volume, ctx).ifPresent(done -> LOG.warn("volume '{}': {}", volume, done));
            } catch (StorageException e) {
                LOG.warn("volume '{}': cannot thaw what a snapshot that did not finish left frozen (reconcile tries again): {}",
                        volume, e.getMessage());
            }
        }
    }

    private static void deleteNote(Path note) {
        try {
            AtomicFiles.delete(note);
        } catch (IOException e) {
            LOG.warn("cannot delete the freeze note {}: {}", note, e.getMessage());
        }
    }
}
