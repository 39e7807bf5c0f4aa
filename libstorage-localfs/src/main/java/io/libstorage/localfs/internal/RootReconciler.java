package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.StorageException;
import io.libstorage.localfs.LocalFsReport;
import io.libstorage.localfs.internal.LoopDevices.Loop;
import io.libstorage.localfs.internal.Records.StoredAttachment;
import io.libstorage.localfs.internal.Records.VolumeRecord;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings a root's metadata into agreement with the kernel and finishes interrupted work; runs
 * under the root lock (at start-up and on every reconcile). Every mutation holds that lock from
 * the first file it writes to the last, so whatever a mutation leaves half done here belongs to a
 * process that died: temporary files and {@code .partial} images are deleted; an image without
 * metadata (a create killed between the image and its metadata) is deleted when nothing was ever
 * written to it, and otherwise moved to {@code quarantine/} and reported, never deleted.
 */
final class RootReconciler {
    private final Layout layout;
    private final MetadataStore store;
    private final LoopDevices loops;
    private final Images images;
    private final HostId host;
    private final Clock clock;

    private final List<String> adopted = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private final List<String> repaired = new ArrayList<>();
    private final List<String> orphans = new ArrayList<>();

    RootReconciler(Layout layout, MetadataStore store, LoopDevices loops, Images images, HostId host, Clock clock) {
        this.layout = layout;
        this.store = store;
        this.loops = loops;
        this.images = images;
        this.host = host;
        this.clock = clock;
    }

    LocalFsReport run(ErrorContext ctx) {
        deleteHalfWrittenFiles(layout.volumes());
        deleteHalfWrittenFiles(layout.snapshots());
        finishRemovals(ctx);
        reportFreezeMarkers();
        List<Loop> all = loops.all();
        reconcileAttachments(all, ctx);
        settleOrphans(all, ctx);
        return new LocalFsReport(adopted, dropped, repaired, orphans);
    }

    /** {@code .partial} images and the temporary files of interrupted atomic metadata writes. */
    private void deleteHalfWrittenFiles(Path dir) {
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (n.endsWith(Layout.PARTIAL) || AtomicFiles.targetOfTemporary(p).isPresent()) {
                try {
                    Files.deleteIfExists(p);
                    repaired.add("deleted the half-written " + p);
                } catch (IOException e) {
                    orphans.add("cannot delete the half-written " + p + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Versions before the integration layer froze filesystems for snapshots left a marker in
     * {@code freezing/} while one was frozen; a marker that is still there names a filesystem that may
     * still be frozen. Thawing is not a storage driver's: it is reported, with the command.
     */
    private void reportFreezeMarkers() {
        for (Path marker : list(layout.root().resolve("freezing"))) {
            if (marker.getFileName().toString().startsWith(".")) {
                continue;
            }
            String mountPoint;
            try {
                mountPoint = Files.readString(marker).strip();
            } catch (IOException e) {
                mountPoint = "(unreadable: " + e.getMessage() + ")";
            }
            orphans.add("an earlier version froze the filesystem at " + mountPoint + " for a snapshot and did not record the thaw ("
                    + marker + "): run 'fsfreeze --unfreeze " + mountPoint + "' if it is still frozen, then delete the marker");
        }
    }

    /** An image in trash/ was being removed: its metadata goes too, then the image. */
    private void finishRemovals(ErrorContext ctx) {
        for (Path p : list(layout.trash())) {
            String n = p.getFileName().toString();
            String id = n.endsWith(Layout.IMAGE) ? n.substring(0, n.length() - Layout.IMAGE.length()) : "";
            try {
                if (Layout.isVolumeId(id)) {
                    store.deleteVolume(id, ctx);
                } else if (Layout.isSnapshotId(id)) {
                    store.deleteSnapshot(id, ctx);
                }
                AtomicFiles.delete(p);
                repaired.add("finished the interrupted removal of " + (id.isEmpty() ? n : id));
            } catch (IOException | StorageException e) {
                orphans.add("cannot finish removing " + p + ": " + e.getMessage());
            }
        }
    }

    /** Adopts loop devices attached to our images without a record; drops records whose loop device vanished. */
    private void reconcileAttachments(List<Loop> all, ErrorContext ctx) {
        Set<String> attachedIds = new HashSet<>();
        for (Loop loop : all) {
            Optional<String> id = layout.volumeIdOfImage(loop.backingFile());
            if (id.isEmpty()) {
                continue;
            }
            if (loop.deleted()) {
                orphans.add("loop device " + loop.device() + " is still attached to the deleted image " + loop.backingFile()
                        + " (detach it with 'losetup -d " + loop.device() + "' once nothing uses it)");
                continue;
            }
            Optional<VolumeRecord> rec = readQuietly(id.get(), ctx);
            if (rec.isEmpty()) {
                if (!Files.exists(layout.volumeMeta(id.get()))) {
                    orphans.add("loop device " + loop.device() + " is attached to " + loop.backingFile() + ", which has no metadata");
                }
                continue;
            }
            attachedIds.add(id.get());
            VolumeRecord r = rec.get();
            StoredAttachment a = r.attachment();
            if (a == null || !loop.device().toString().equals(a.device())) {
                String owner = a == null || a.hostId() == null ? host.value() : a.hostId();
                store.save(r.withAttachment(new StoredAttachment(owner, loop.device().toString(), clock.instant().toString())), ctx);
                adopted.add(r.name() + " (" + r.id() + ") as " + loop.device());
            }
        }
        for (Path meta : metaFiles(layout.volumes())) {
            String id = idOf(meta);
            if (!Layout.isVolumeId(id) || attachedIds.contains(id)) {
                continue;
            }
            Optional<VolumeRecord> rec = readQuietly(id, ctx);
            if (rec.isPresent() && rec.get().attachment() != null) {
                VolumeRecord r = rec.get();
                store.save(r.withAttachment(null), ctx);
                dropped.add(r.name() + " (" + r.id() + "), recorded as " + r.attachment().device() + ", which no longer holds it");
            }
        }
    }

    /**
     * Images without metadata: attached ones are reported (something uses them); never-written ones
     * are what a killed create leaves and are deleted; the others hold data and are quarantined.
     * Metadata that cannot be read, or whose image is gone, and unexpected files are reported.
     */
    private void settleOrphans(List<Loop> all, ErrorContext ctx) {
        Set<Path> attached = new HashSet<>();
        all.forEach(l -> attached.add(l.backingFile()));
        for (Path dir : List.of(layout.volumes(), layout.snapshots())) {
            Set<String> metas = new HashSet<>();
            metaFiles(dir).forEach(m -> metas.add(idOf(m)));
            Set<String> imgs = new HashSet<>();
            for (Path p : list(dir)) {
                String n = p.getFileName().toString();
                if (n.endsWith(Layout.IMAGE)) {
                    String id = n.substring(0, n.length() - Layout.IMAGE.length());
                    imgs.add(id);
                    if (!metas.contains(id) && !attached.contains(p)) {
                        settleImageWithoutMetadata(p, id, ctx);
                    }
                } else if (!n.endsWith(Layout.META) && !n.startsWith(".")) {
                    orphans.add("unexpected file: " + p);
                }
            }
            for (String id : metas) {
                if (!imgs.contains(id)) {
                    orphans.add("metadata without an image: " + dir.resolve(id + Layout.META));
                }
            }
        }
        reportUnreadableMetadata(ctx);
    }

    private void settleImageWithoutMetadata(Path image, String id, ErrorContext ctx) {
        if (!Layout.isVolumeId(id) && !Layout.isSnapshotId(id)) {
            orphans.add("image without metadata: " + image + " (not named by a localfs id; left alone)");
            return;
        }
        try {
            if (images.neverWritten(image, ctx)) {
                AtomicFiles.delete(image);
                repaired.add("deleted " + image + ", an image without metadata that was never written (left by an interrupted create)");
            } else {
                Path moved = images.quarantine(image, layout.quarantine(), ctx);
                orphans.add("image without metadata holding data: moved " + image + " to " + moved + " (not deleted; look at it, "
                        + "e.g. 'losetup --read-only --find --show " + moved + "', and delete it when it is not needed)");
            }
        } catch (IOException | StorageException e) {
            orphans.add("image without metadata: " + image + " (cannot settle it: " + e.getMessage() + ")");
        }
    }

    private void reportUnreadableMetadata(ErrorContext ctx) {
        for (MetadataStore.Unreadable u : store.unreadable(ctx)) {
            orphans.add(u.reason() + " (its image is kept; repair the file by hand, or move it and its image to "
                    + layout.quarantine() + ")");
        }
    }

    /** The record, or empty when it is missing or unreadable (unreadable ones are reported once, by {@link #reportUnreadableMetadata}). */
    private Optional<VolumeRecord> readQuietly(String id, ErrorContext ctx) {
        try {
            return store.volume(id, ctx);
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    private static String idOf(Path meta) {
        String n = meta.getFileName().toString();
        return n.substring(0, n.length() - Layout.META.length());
    }

    private static List<Path> metaFiles(Path dir) {
        try {
            return MetadataStore.metaFiles(dir);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
