package io.libstorage.localfs.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.AmbiguousVolumeException;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.Liveness;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.UnsupportedFeatureException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.localfs.LocalFsDriver;
import io.libstorage.localfs.LocalFsReport;
import io.libstorage.localfs.internal.LoopDevices.Loop;
import io.libstorage.localfs.internal.Records.SnapshotRecord;
import io.libstorage.localfs.internal.Records.StoredAttachment;
import io.libstorage.localfs.internal.Records.StoredSpec;
import io.libstorage.localfs.internal.Records.VolumeRecord;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.HostDevices;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.VolumeMapping;
import io.libstorage.spi.support.SpecCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The localfs driver. Mutations run under the {@link RootLock}; reads take no lock (metadata files
 * are replaced atomically). Whether a volume is attached is read from the kernel every time.
 */
public final class LocalFsStorageDriver implements LocalFsDriver {
    public static final String NAME = "localfs";
    private static final Logger LOG = LoggerFactory.getLogger(LocalFsStorageDriver.class);
    private static final Set<Feature> FEATURES = Set.copyOf(EnumSet.of(Feature.SNAPSHOTS, Feature.CREATE_FROM_SNAPSHOT, Feature.GROW,
            Feature.KEEPS_SPEC));

    private final LocalFsSettings settings;
    private final Layout layout;
    private final HostId host;
    private final Clock clock;
    private final MetadataStore store;
    private final LoopDevices loops;
    private final Images images;
    private final HostDevices hostDevices;
    private final RootLock lock;
    private final LocalFsHostSide hostSide;
    private volatile LocalFsReport startupReport;

    private LocalFsStorageDriver(LocalFsSettings settings, Path realRoot, ProcessRunner processes, Clock clock, HostDevices hostDevices) {
        this.settings = settings;
        this.layout = new Layout(realRoot);
        this.host = HostIdentity.resolve(settings.hostId());
        this.clock = clock;
        this.store = new MetadataStore(layout);
        this.loops = new LoopDevices(processes, settings.commandTimeout());
        this.images = new Images(processes, settings.commandTimeout(), settings.slowCommandTimeout());
        this.hostDevices = hostDevices;
        this.lock = new RootLock(layout.lockFile(), settings.lockTimeout());
        this.hostSide = new LocalFsHostSide(host, layout, loops, store);
    }

    /**
     * Creates the root if needed and reconciles it (see {@link #reconcileRoot()}). {@code hostDevices}
     * says where loop devices are mounted and who holds them (the OS layer answers).
     */
    static LocalFsStorageDriver start(LocalFsSettings settings, ProcessRunner processes, Clock clock, HostDevices hostDevices) {
        ErrorContext ctx = ErrorContext.of("start", null, settings.hostId().orElse(null), NAME);
        Path realRoot;
        try {
            Files.createDirectories(settings.root());
            // the kernel names backing files by their real path; compare like with like
            realRoot = settings.root().toRealPath();
            for (Path dir : List.of(realRoot.resolve("volumes"), realRoot.resolve("snapshots"))) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new io.libstorage.api.InvalidConfigurationException(ctx, NAME + "." + LocalFsSettings.ROOT,
                    "cannot use " + settings.root() + " as the localfs root: " + e.getMessage());
        }
        LocalFsStorageDriver driver = new LocalFsStorageDriver(settings, realRoot, processes, clock, hostDevices);
        driver.startupReport = driver.reconcileRoot();
        return driver;
    }

    private ErrorContext ctx(String operation, String volume) {
        return ErrorContext.of(operation, volume, host.value(), NAME);
    }

    // ------------------------------------------------------------------ identity

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Feature> features() {
        return FEATURES;
    }

    @Override
    public HostSide hostSide() {
        return hostSide;
    }

    @Override
    public Path root() {
        return layout.root();
    }

    /** The usable space of the filesystem holding the root: what new (sparse) images can still fill. */
    @Override
    public OptionalLong availableCapacityBytes() {
        try {
            return OptionalLong.of(Files.getFileStore(layout.root()).getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public LocalFsReport startupReport() {
        return startupReport;
    }

    @Override
    public LocalFsReport reconcileRoot() {
        ErrorContext ctx = ctx("reconcile localfs root", null);
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            LocalFsReport report = new RootReconciler(layout, store, loops, images, host, clock).run(ctx);
            if (!report.clean()) {
                LOG.info("localfs root {}: adopted {}, dropped attachments {}, repaired {}", layout.root(), report.adopted(),
                        report.droppedAttachments(), report.repaired());
            }
            report.orphans().forEach(o -> LOG.warn("localfs root {}: {}", layout.root(), o));
            return report;
        }
    }

    /** {@link #reconcileRoot()} for the integration driver's reconcile: adoptions, drops and repairs are repaired, orphans problems. */
    @Override
    public BackendReconcile reconcile() {
        LocalFsReport r = reconcileRoot();
        List<String> repaired = new ArrayList<>();
        r.adopted().forEach(a -> repaired.add("adopted " + a));
        r.droppedAttachments().forEach(d -> repaired.add("dropped the attachment of " + d));
        repaired.addAll(r.repaired());
        return new BackendReconcile(repaired, r.orphans());
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        if (!Layout.isVolumeId(id.value())) {
            return Optional.empty();
        }
        return store.volume(id.value(), ctx("inspect", id.value())).map(this::toVolume);
    }

    @Override
    public Optional<Volume> findByName(String name) {
        ErrorContext ctx = ctx("find volume", name);
        MetadataStore.Scan<VolumeRecord> scan = store.scanVolumes(ctx);
        List<VolumeRecord> matches = scan.records().stream().filter(r -> r.name().equals(name)).toList();
        if (matches.size() > 1) {
            throw new AmbiguousVolumeException(ctx, matches.stream().map(r -> VolumeId.of(r.id())).toList());
        }
        if (matches.isEmpty()) {
            // "missing" would let a mount create a second, empty volume of a name whose metadata is damaged
            List<MetadataStore.Unreadable> maybe = scan.unreadable().stream().filter(u -> u.name().map(name::equals).orElse(true)).toList();
            if (!maybe.isEmpty()) {
                throw new OperationFailedException(ctx, "cannot tell whether volume '" + name + "' exists: "
                        + maybe.stream().map(MetadataStore.Unreadable::reason).toList() + "; repair the file, or move it and its image to "
                        + layout.quarantine() + " (see the localfs README)", null);
            }
        }
        return matches.stream().findFirst().map(this::toVolume);
    }

    @Override
    public List<Volume> list() {
        List<Loop> all = loops.all();
        return store.volumes(ctx("list", null)).stream().sorted(Comparator.comparing(VolumeRecord::name))
                .map(r -> toVolume(r, LoopDevices.backedBy(all, layout.volumeImage(r.id())))).toList();
    }

    /** The volume as its record and the kernel's loop devices of its image say now. */
    private Volume toVolume(VolumeRecord r) {
        return toVolume(r, loops.backedBy(layout.volumeImage(r.id())));
    }

    private Volume toVolume(VolumeRecord r, List<Loop> mine) {
        Path image = layout.volumeImage(r.id());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("image", image.toString());
        List<Attachment> attachments = new ArrayList<>();
        if (!mine.isEmpty()) {
            HostId owner = ownerOf(r);
            boolean detaching = mine.stream().allMatch(Loop::autoclear);
            attachments.add(new Attachment(VolumeId.of(r.id()), owner, r.id(),
                    detaching ? AttachmentState.DETACHING : AttachmentState.ATTACHED,
                    r.attachment() == null ? null : parseInstant(r.attachment().attachedAt())));
            fields.put("device", mine.get(0).device().toString());
        }
        return new Volume(VolumeId.of(r.id()), r.name(), r.spec().toSpec(), r.allocatedSizeBytes(), attachments, fields,
                parseInstant(r.createdAt()), NAME);
    }

    private HostId ownerOf(VolumeRecord r) {
        return r.attachment() == null || r.attachment().hostId() == null ? host : HostId.of(r.attachment().hostId());
    }

    // ------------------------------------------------------------------ create and remove

    @Override
    public Volume create(String name, VolumeSpec spec) {
        ErrorContext ctx = ctx("create", name);
        VolumeNames.requireValid(name, ctx);
        long allocated = validate(spec, ctx);
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            Optional<Volume> existing = findByName(name);
            if (existing.isPresent()) {
                SpecCompatibility.requireCompatible(ctx, existing.get().spec(), spec);
                return existing.get();
            }
            String id = Layout.newVolumeId();
            Path image = layout.volumeImage(id);
            BlankImageProof.Stamp blank = null;
            if (spec.sourceSnapshot().isPresent()) {
                SnapshotRecord snap = sourceSnapshot(spec.sourceSnapshot().get(), allocated, ctx);
                images.copySparse(layout.snapshotImage(snap.id()), image, allocated, ctx);
            } else {
                blank = images.createSparse(image, allocated, ctx);
            }
            VolumeRecord r = new VolumeRecord(Records.FORMAT, id, name, StoredSpec.of(spec), allocated,
                    clock.instant().toString(), null, blank);
            if (spec.sourceSnapshot().isPresent()) {
                store.save(r, ctx);
            } else {
                // the image's name becomes durable while the metadata's temporary file is written; the metadata is renamed after
                store.saveAfter(r, () -> {
                    Images.syncName(image);
                    return null;
                }, ctx);
            }
            LOG.info("created localfs volume '{}' ({}, {} bytes requested, {} allocated) in {}", name, id, spec.sizeBytes(),
                    allocated, layout.root());
            return toVolume(r);
        }
    }

    /** Everything wrong with a spec is found before anything is touched; returns the allocated size. */
    private long validate(VolumeSpec spec, ErrorContext ctx) {
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        if (spec.accessMode() != AccessMode.SINGLE_HOST_READ_WRITE) {
            throw new UnsupportedFeatureException(ctx.withOperation("create with access mode " + spec.accessMode()),
                    Feature.MULTI_HOST_ACCESS);
        }
        if (!spec.driverOptions().isEmpty()) {
            throw new InvalidRequestException(ctx, "localfs has no driver options; got " + spec.driverOptions().keySet());
        }
        try {
            return settings.allocate(spec.sizeBytes());
        } catch (ArithmeticException e) {
            throw new InvalidRequestException(ctx, "size " + spec.sizeBytes() + " bytes is too large");
        }
    }

    private SnapshotRecord sourceSnapshot(SnapshotId id, long allocated, ErrorContext ctx) {
        SnapshotRecord snap = (Layout.isSnapshotId(id.value()) ? store.snapshot(id.value(), ctx) : Optional.<SnapshotRecord>empty())
                .orElseThrow(() -> new InvalidRequestException(ctx, "the source snapshot " + id + " does not exist in " + layout.root()));
        if (snap.sizeBytes() > allocated) {
            throw new InvalidRequestException(ctx, "the source snapshot " + id + " holds " + snap.sizeBytes()
                    + " bytes; the new volume must be at least that large, not " + allocated);
        }
        return snap;
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        ErrorContext ctx = ctx("remove", id.value());
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            Optional<VolumeRecord> rec = Layout.isVolumeId(id.value()) ? store.volume(id.value(), ctx) : Optional.empty();
            if (rec.isEmpty()) {
                if (options.strict()) {
                    throw new VolumeNotFoundException(ctx);
                }
                return;
            }
            VolumeRecord r = rec.get();
            ctx = ctx("remove", r.name());
            List<Loop> mine = loops.backedBy(layout.volumeImage(r.id()));
            if (!mine.isEmpty()) {
                if (!options.force()) {
                    throw new VolumeInUseException(ctx, "attached to host '" + ownerOf(r).value() + "' as "
                            + mine.stream().map(l -> l.device().toString()).toList() + mountedSuffix(mine, ctx)
                            + "; detach it first or remove with force");
                }
                release(r, mine, ctx);
            }
            images.moveToTrash(layout.volumeImage(r.id()), layout.trash(), ctx);
            store.deleteVolume(r.id(), ctx);
            images.deleteFromTrash(layout.trash(), r.id() + Layout.IMAGE, ctx);
            LOG.info("removed localfs volume '{}' ({})", r.name(), r.id());
        }
    }

    // ------------------------------------------------------------------ attach and detach

    /**
     * The primitives of an attach ({@link io.libstorage.spi.support.Takeover} orders them), under the
     * root lock from here to {@link VolumeMapping#close()}. A volume attached for another identity on
     * this machine (a root shared by drivers with different host ids) is taken by detaching that
     * identity's loop device; a mounted one never is.
     */
    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        ErrorContext ctx = ErrorContext.of("attach", id.value(), target.value(), NAME);
        if (!target.equals(host)) {
            throw new UnsupportedFeatureException(ctx.withOperation("attach to host '" + target.value()
                    + "' (localfs attaches only to its own host '" + host.value() + "')"), Feature.REMOTE_ATTACH);
        }
        RootLock.Held held = lock.acquire(ctx);
        try {
            return new LoopMapping(existing(id, ctx), held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** One attach under the root lock: the kernel's loop devices say who holds the image. */
    private final class LoopMapping implements VolumeMapping {
        private final RootLock.Held held;
        private final ErrorContext ctx;
        private final Path image;
        private VolumeRecord record;

        LoopMapping(VolumeRecord r, RootLock.Held held) {
            this.held = held;
            this.ctx = ctx("attach", r.name());
            this.image = layout.volumeImage(r.id());
            this.record = recordOwnLoop(r);
        }

        /** An attachment of ours the record does not show yet (adopted, or a new device) is written down. */
        private VolumeRecord recordOwnLoop(VolumeRecord r) {
            List<Loop> mine = loops.backedBy(image);
            if (mine.isEmpty() || !ownerOf(r).equals(host)) {
                return r;
            }
            String device = mine.get(0).device().toString();
            if (r.attachment() != null && device.equals(r.attachment().device()) && host.value().equals(r.attachment().hostId())) {
                return r;
            }
            VolumeRecord updated = r.withAttachment(new StoredAttachment(host.value(), device, r.attachment() == null
                    ? clock.instant().toString() : r.attachment().attachedAt()));
            store.save(updated, ctx);
            return updated;
        }

        @Override
        public ErrorContext context() {
            return ctx;
        }

        @Override
        public Volume read() {
            return toVolume(record);
        }

        /** localfs cannot tell whether another identity's process is alive: only the caller's declaration counts. */
        @Override
        public OwnerEvidence evidence(HostId owner) {
            return new OwnerEvidence(owner, Liveness.UNKNOWN, null, NAME);
        }

        @Override
        public void unmap(HostId owner) {
            List<Loop> theirs = loops.backedBy(image);
            List<MountEntry> mounts = LoopDevices.mountsOf(theirs, hostDevices, ctx);
            if (!mounts.isEmpty()) {
                throw new FencingUnavailableException(ctx, "host '" + owner.value() + "' has it mounted at "
                        + mounts.stream().map(m -> m.mountPoint().toString()).toList(), null);
            }
            theirs.forEach(l -> loops.detach(ctx, l.device()));
        }

        @Override
        public boolean map(HostId target, boolean exclusive) {
            if (!loops.backedBy(image).isEmpty()) {
                return false;
            }
            Path device = loops.attach(ctx, image);
            record = record.withFirstAttachment(new StoredAttachment(host.value(), device.toString(), clock.instant().toString()));
            // the kernel, not this record, says whether the image is attached; after a machine crash the loop device is
            // gone and the old record (no attachment) or this one converge alike, so it shares the next directory fsync
            store.saveSharingDirectorySync(record, ctx);
            LOG.info("attached localfs volume '{}' ({}) as {}", record.name(), record.id(), device);
            return true;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public void close() {
            held.close();
        }
    }

    @Override
    public void detach(VolumeId id, HostId target, DetachOptions options) {
        ErrorContext ctx = ErrorContext.of("detach", id.value(), target.value(), NAME);
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            Optional<VolumeRecord> rec = Layout.isVolumeId(id.value()) ? store.volume(id.value(), ctx) : Optional.empty();
            if (rec.isEmpty()) {
                return;
            }
            VolumeRecord r = rec.get();
            ctx = ErrorContext.of("detach", r.name(), target.value(), NAME);
            List<Loop> mine = loops.backedBy(layout.volumeImage(r.id()));
            if (mine.isEmpty()) {
                if (r.attachment() != null && target.value().equals(r.attachment().hostId())) {
                    store.save(r.withAttachment(null), ctx);
                }
                return;
            }
            if (!ownerOf(r).equals(target)) {
                return;
            }
            if (!target.equals(host)) {
                throw new UnsupportedFeatureException(ctx.withOperation("detach from host '" + target.value()
                        + "' (localfs detaches only from its own host '" + host.value() + "')"), Feature.REMOTE_ATTACH);
            }
            release(r, mine, ctx);
            store.save(r.withAttachment(null), ctx);
            LOG.info("detached localfs volume '{}' ({}) from {}", r.name(), r.id(), mine.stream().map(Loop::device).toList());
        }
    }

    /**
     * Detaches the loop devices. A mounted one is refused, forced or not: unmounting is the
     * integration layer's, and a device is never pulled from under a filesystem. A device that is
     * still open after {@code losetup --detach} (a process reads it directly, or a filesystem lazily
     * unmounted earlier is still in use) is only marked to go away on its last close; that is
     * reported, naming the holders found, so that nothing is deleted from under them and no caller is
     * told "detached".
     */
    private void release(VolumeRecord r, List<Loop> mine, ErrorContext ctx) {
        List<MountEntry> mounts = LoopDevices.mountsOf(mine, hostDevices, ctx);
        if (!mounts.isEmpty()) {
            throw new VolumeInUseException(ctx, "its loop device " + mine.stream().map(l -> l.device().toString()).toList()
                    + " is mounted at " + mounts.stream().map(m -> m.mountPoint().toString()).toList()
                    + "; unmount it first (a device is never detached from under a mounted filesystem)");
        }
        mine.forEach(l -> loops.detach(ctx, l.device()));
        List<Loop> left = loops.backedBy(layout.volumeImage(r.id())); // LoopDevices.detach waited for them to settle
        if (!left.isEmpty()) {
            List<ProcessHolder> holders = left.stream().flatMap(l -> hostDevices.holdersOf(ctx, l.deviceNumber()).stream())
                    .distinct().toList();
            throw VolumeInUseException.busy(ctx, "the loop device " + left.stream().map(l -> l.device().toString()).toList()
                    + " of localfs volume " + r.id() + " (still open after the detach: the kernel detaches it when its last"
                    + " user closes it, and the image is kept)", holders);
        }
    }

    private VolumeRecord existing(VolumeId id, ErrorContext ctx) {
        return (Layout.isVolumeId(id.value()) ? store.volume(id.value(), ctx) : Optional.<VolumeRecord>empty())
                .orElseThrow(() -> new VolumeNotFoundException(ctx, "no localfs volume with id " + id + " in " + layout.root()));
    }

    private String mountedSuffix(List<Loop> mine, ErrorContext ctx) {
        List<MountEntry> mounts = LoopDevices.mountsOf(mine, hostDevices, ctx);
        return mounts.isEmpty() ? "" : ", mounted at " + mounts.stream().map(m -> m.mountPoint().toString()).toList();
    }

    // ------------------------------------------------------------------ snapshots

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        ErrorContext ctx = ctx("snapshot", id.value());
        VolumeNames.requireValid(snapshotName, ctx.withOperation("snapshot (name '" + snapshotName + "')"));
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            VolumeRecord r = existing(id, ctx);
            ctx = ctx("snapshot", r.name());
            Optional<SnapshotRecord> done = store.snapshots(ctx).stream()
                    .filter(s -> s.sourceVolume().equals(r.id()) && s.name().equals(snapshotName)).findFirst();
            if (done.isPresent()) {
                return toSnapshot(done.get());
            }
            String snapId = Layout.newSnapshotId();
            // what this host cached for the loop devices reaches the image first; a mounted filesystem
            // is frozen by the caller for the copy (snapshotsNeedFrozenFilesystem)
            for (Loop l : loops.backedBy(layout.volumeImage(r.id()))) {
                Images.flushDevice(l.device(), ctx);
            }
            images.copySparse(layout.volumeImage(r.id()), layout.snapshotImage(snapId), 0, ctx);
            SnapshotRecord s = new SnapshotRecord(Records.FORMAT, snapId, snapshotName, r.id(), r.allocatedSizeBytes(),
                    r.spec().fsType(), clock.instant().toString());
            store.save(s, ctx);
            LOG.info("took snapshot '{}' ({}) of localfs volume '{}'", snapshotName, snapId, r.name());
            return toSnapshot(s);
        }
    }

    /** The image is copied over time: a mounted filesystem must not change meanwhile. */
    @Override
    public boolean snapshotsNeedFrozenFilesystem() {
        return true;
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        ErrorContext ctx = ctx("list snapshots", id.value());
        return store.snapshots(ctx).stream().filter(s -> s.sourceVolume().equals(id.value()))
                .sorted(Comparator.comparing(SnapshotRecord::name)).map(this::toSnapshot).toList();
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        ErrorContext ctx = ctx("remove snapshot", id.value());
        if (!Layout.isSnapshotId(id.value())) {
            return;
        }
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            if (store.snapshot(id.value(), ctx).isEmpty()) {
                return;
            }
            images.moveToTrash(layout.snapshotImage(id.value()), layout.trash(), ctx);
            store.deleteSnapshot(id.value(), ctx);
            images.deleteFromTrash(layout.trash(), id.value() + Layout.IMAGE, ctx);
        }
    }

    private Snapshot toSnapshot(SnapshotRecord s) {
        return new Snapshot(SnapshotId.of(s.id()), s.name(), VolumeId.of(s.sourceVolume()), s.sizeBytes(), parseInstant(s.createdAt()));
    }

    // ------------------------------------------------------------------ grow

    /**
     * Extends the image and makes the kernel see the new size of its loop device ({@code losetup
     * --set-capacity}) when it is attached. The filesystem on it is the integration layer's to grow.
     * A size at or below the current one changes nothing.
     */
    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        ErrorContext ctx = ctx("grow", id.value());
        ByteSizes.requireVolumeSize(newSizeBytes, ctx);
        try (RootLock.Held ignored = lock.acquire(ctx)) {
            VolumeRecord r = existing(id, ctx);
            ctx = ctx("grow", r.name());
            long target;
            try {
                target = settings.allocate(newSizeBytes);
            } catch (ArithmeticException e) {
                throw new InvalidRequestException(ctx, "size " + newSizeBytes + " bytes is too large");
            }
            Path image = layout.volumeImage(r.id());
            if (target > r.allocatedSizeBytes()) {
                images.extend(image, target, ctx);
                r = r.withSize(newSizeBytes, target);
                store.save(r, ctx);
                LOG.info("grew the image of localfs volume '{}' to {} bytes", r.name(), r.allocatedSizeBytes());
            }
            for (Loop l : loops.backedBy(image)) {
                if (l.sizeBytes() < r.allocatedSizeBytes()) {
                    loops.refreshCapacity(ctx, l.device());
                }
            }
            return toVolume(r);
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "localfs[root=" + layout.root() + ", host=" + host.value() + "]";
    }
}
