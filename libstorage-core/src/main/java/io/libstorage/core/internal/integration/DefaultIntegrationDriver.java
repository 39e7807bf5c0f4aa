package io.libstorage.core.internal.integration;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.FilesystemMismatchException;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.api.Feature;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.Liveness;
import io.libstorage.api.MountEntry;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.OperationDisabledException;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Preemption;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeId;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeEventListener;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.internal.state.HostStateStore;
import io.libstorage.core.internal.state.Intent;
import io.libstorage.core.internal.state.ProfileStore;
import io.libstorage.core.internal.state.VolumeProfile;
import io.libstorage.core.internal.state.StoredVolume;
import io.libstorage.core.internal.state.VolumeLocks;
import io.libstorage.core.internal.state.VolumeRecord;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.IntegrationDriver;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.Overlap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The default ("docker") integration driver: the mount pipeline of ARCHITECTURE.md §2 under a
 * per-volume lock, with durable consumer sets and intents (§3).
 *
 * <p>mount = lock → recover an interrupted call → (fast path: already mounted from the right device
 * → add the consumer) → write intent → inspect or create → attach (pre-empting only as the policy
 * allows) → wait for the device → probe → format if blank → mount → consumer path → commit consumer
 * and clear intent. A failure (not a crash) rolls back what this call did when no other consumer
 * holds the volume, so nothing is left attached or mounted for nobody.
 */
public final class DefaultIntegrationDriver implements IntegrationDriver {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultIntegrationDriver.class);

    private final StorageDriver storage;
    private final OSDriver os;
    private final IntegrationSettings settings;
    private final HostStateStore store;
    private final VolumeLocks locks;
    private final VolumeSteps steps;
    private final StateRepair repair;
    private final RecordRecovery recovery;
    private final VolumeRelease release;
    private final FrozenSnapshots snapshots;
    private final VolumeGrowth growth;
    private final Reconciler reconciler;
    private final VolumeFacts facts;
    private final Clock clock;

    public DefaultIntegrationDriver(StorageDriver storage, OSDriver os, IntegrationSettings settings, Path stateRoot,
                                    VolumeEventListener events, Clock clock) {
        this.storage = storage;
        this.os = os;
        this.settings = settings;
        this.store = new HostStateStore(stateRoot);
        this.locks = new VolumeLocks(stateRoot, settings.lockTimeout());
        this.clock = clock;
        this.steps = new VolumeSteps(storage, os, settings, events, clock);
        this.repair = new StateRepair(store, storage, os, settings, steps, clock);
        this.recovery = new RecordRecovery(store, os, clock);
        this.release = new VolumeRelease(storage, settings, store, steps);
        this.snapshots = new FrozenSnapshots(storage, os, steps, stateRoot);
        this.growth = new VolumeGrowth(storage, os, steps);
        ProfileStore profiles = new ProfileStore(stateRoot);
        this.facts = new VolumeFacts(storage, profiles);
        this.reconciler = new Reconciler(storage, os, settings, store, locks, steps, repair, recovery, release, snapshots, profiles);
    }

    /**
     * Thaws what snapshots of processes that died left frozen (writers to a frozen filesystem wait
     * forever, so this runs when the driver starts, not only at reconcile). Best effort: what fails is
     * logged and left to reconcile.
     */
    void thawLeftoverFreezes() {
        snapshots.thawLeftovers(locks, context("thaw after an interrupted snapshot", null));
    }

    private ErrorContext context(String operation, String volume) {
        return steps.context(operation, volume);
    }

    // ---------------------------------------------------------------- mount

    @Override
    public MountedVolume mount(String name, ConsumerId consumer, MountOptions request) {
        ErrorContext ctx = context("mount", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            VolumeRecord rec = recover(loadOrEmpty(name, ctx), ctx);
            Optional<MountedVolume> warm = alreadyMounted(rec, consumer, request, ctx);
            if (warm.isPresent()) {
                return warm.get();
            }
            return mountCold(rec, name, consumer, request, ctx);
        }
    }

    /** The fast path: the record says mounted and the mount table agrees, so only the consumer set may change. */
    private Optional<MountedVolume> alreadyMounted(VolumeRecord rec, ConsumerId consumer, MountOptions request, ErrorContext ctx) {
        Optional<MountEntry> entry = recordedMount(rec, ctx);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Path mountPoint = Path.of(rec.mountPoint());
        ExpectedFilesystem.require(ctx, null, request.fsType(), rec.fsType());
        VolumeRecord updated = rec;
        boolean added = !rec.consumers().contains(consumer.value());
        if (added) {
            updated = rec.withConsumer(consumer.value()).stamped(os.bootId(), clock.instant());
            store.save(updated, ctx);
        }
        return Optional.of(result(updated, steps.ensureConsumerPath(mountPoint, entry.get().readOnly(), ctx), added, false,
                Optional.empty()));
    }

    /**
     * This host's truth about a record, which the fast path, {@link #path} and {@link #mountedHere} share: the
     * record has consumers and the mount table shows the recorded device (same major:minor) at its mount point.
     */
    private Optional<MountEntry> recordedMount(VolumeRecord rec, ErrorContext ctx) {
        if (rec.consumers().isEmpty() || rec.mountPoint() == null || rec.device() == null || rec.volume() == null) {
            return Optional.empty();
        }
        Optional<MountEntry> entry = os.mountAt(ctx, Path.of(rec.mountPoint()));
        Optional<String> deviceNumber = os.deviceNumber(ctx, Path.of(rec.device()));
        if (entry.isEmpty() || deviceNumber.isEmpty() || !entry.get().deviceNumber().equals(deviceNumber.get())) {
            return Optional.empty();
        }
        return entry;
    }

    private MountedVolume mountCold(VolumeRecord start, String name, ConsumerId consumer, MountOptions request, ErrorContext ctx) {
        boolean added = !start.consumers().contains(consumer.value());
        VolumeRecord rec = start.withIntent(new Intent(Intent.Kind.MOUNT, consumer.value(), clock.instant(), pid()))
                .stamped(os.bootId(), clock.instant());
        VolumeRecord intent = rec;
        Overlap.Pending<Object> durable = Overlap.start(() -> {
            store.save(intent, ctx);
            return null;
        });
        // the lookup only reads, so it runs here while the intent becomes durable beside it (on this thread: a driver
        // may reuse what this thread just read); no effect comes before the intent is durable, and a failed intent
        // write fails the mount with nothing to undo, as it always did
        Supplier<Optional<Volume>> found;
        try {
            Optional<Volume> lookedUp = storage.findByName(name);
            found = () -> lookedUp;
        } catch (RuntimeException e) {
            found = () -> {
                throw e;
            };
        } finally {
            durable.join();
        }
        Volume created = null;
        HostStateStore.Draft[] draft = new HostStateStore.Draft[1];
        try {
            VolumeSteps.Resolved resolved = steps.resolveOrCreate(name, found.get(), request, ctx);
            Volume volume = resolved.volume();
            created = resolved.created() ? volume : null;
            if (resolved.created()) {
                facts.created(volume, name, resolved.spec(), ctx);
            }
            volume = facts.known(volume);
            Optional<String> heldAs = nameHolding(volume.id(), name);
            if (heldAs.isPresent()) {
                throw new VolumeInUseException(ctx, "this host holds the same volume (" + volume.id().value() + ") under the name '"
                        + heldAs.get() + "' (a back end may show a volume under its own name until this host learns the user's);"
                        + " use that name until it is unmounted here");
            }
            rec = rec.withVolume(StoredVolume.of(volume));
            steps.checkRequestedFs(volume, request, ctx);
            AttachOptions attachOptions = new AttachOptions(VolumeFacts.policy(request.preemption(), volume, settings.defaultPreemption()),
                    request.declaredDeadOwners());
            AttachResult attached = steps.ensureAttached(volume, attachOptions, policySource(request, volume), ctx);
            Path device = steps.awaitDevice(attached.attachment(), ctx);
            Path mountPoint = settings.mountPointOf(name);
            Volume before = facts.known(attached.volume());
            VolumeRecord attachedRec = rec;
            // the commit is written beside the record while mount runs, and put in place only once the mount succeeded and
            // its view of the volume is the one drafted (a back end that keeps no spec may learn more from the mounted volume)
            VolumeSteps.Formatting fs = steps.ensureMounted(volume, mountPoint, attached.attachment(), device, request, ctx,
                    f -> draft[0] = store.draft(committed(attachedRec, before, attached, device, mountPoint, f.fsType(), consumer), ctx));
            Volume knownNow = facts.mounted(before, name, mountPoint, fs.fsType(), request.readOnly(), Optional.empty(), ctx);
            Path path = steps.ensureConsumerPath(mountPoint, request.readOnly(), ctx);
            HostStateStore.Draft drafted = draft[0];
            draft[0] = null;
            // the intent was made durable before any effect; after a machine crash this record or that one releases
            // the volume alike (another boot), so the commit shares the next fsync of the directory
            if (drafted != null && knownNow.equals(before)) {
                rec = drafted.record();
                drafted.publishSharingDirectorySync();
            } else {
                if (drafted != null) {
                    drafted.discard();
                }
                rec = committed(rec, knownNow, attached, device, mountPoint, fs.fsType(), consumer);
                store.saveSharingDirectorySync(rec, ctx);
            }
            return result(rec, path, added, fs.formatted(), attached.preemption());
        } catch (RuntimeException | Error e) {
            if (draft[0] != null) {
                draft[0].discard();
            }
            if (e instanceof RuntimeException r) {
                rollBack(name, Optional.ofNullable(created), r, ctx);
            }
            throw e;
        }
    }

    /** The record of a mount that succeeded: the consumer committed, the intent cleared. */
    private VolumeRecord committed(VolumeRecord rec, Volume known, AttachResult attached, Path device, Path mountPoint, String fsType,
                                   ConsumerId consumer) {
        return rec.withVolume(StoredVolume.of(known))
                .withAttachToken(attached.attachment().deviceToken())
                .withMount(device.toString(), mountPoint.toString(), fsType)
                .withConsumer(consumer.value())
                .withIntent(null)
                .stamped(os.bootId(), clock.instant());
    }

    private MountedVolume result(VolumeRecord rec, Path path, boolean consumerAdded, boolean formatted,
                                 Optional<Preemption> preemption) {
        return new MountedVolume(localView(rec), Path.of(rec.mountPoint()), path, Path.of(rec.device()), rec.fsType(),
                consumerIds(rec), consumerAdded, formatted, preemption);
    }

    /** Where the policy of an attach came from, for a refusal's message. */
    private String policySource(MountOptions request, Volume known) {
        if (request.preemption().isPresent()) {
            return "the mount's own";
        }
        if (known.spec().preemption().isPresent()) {
            return "the volume's own";
        }
        return "the configured default, libstorage." + IntegrationSettings.PREEMPTION_POLICY
                + (facts.unknown(known).contains(VolumeStatus.PREEMPTION)
                ? "; the volume's own policy is not known on this host, which never created nor mounted it" : "");
    }

    /** The volume as recorded at its mount here, attached to this host. */
    private Volume localView(VolumeRecord rec) {
        Attachment local = new Attachment(new VolumeId(rec.volume().id()), steps.localHost(),
                rec.attachToken() == null ? rec.volume().id() : rec.attachToken(), AttachmentState.ATTACHED, null);
        return rec.volume().toVolume(List.of(local));
    }

    private static Set<ConsumerId> consumerIds(VolumeRecord rec) {
        return rec.consumers().stream().map(ConsumerId::of).collect(Collectors.toSet());
    }

    /**
     * Undoes a failed mount's effects when nobody else holds the volume; keeps the original failure.
     * A volume this call created is removed too, so that a failed implicit create leaves nothing
     * behind: nobody was ever handed a path on it (the consumer is committed only at the end), and
     * the back end's plain remove refuses it should another host have attached it meanwhile. While the
     * back end is unavailable the rollback is retried within the device wait timeout ({@link Rollback});
     * what it could not undo is added to the failure as a suppressed error saying what is left and why.
     */
    private void rollBack(String name, Optional<Volume> created, RuntimeException failure, ErrorContext ctx) {
        String left = "volume '" + name + "' may stay attached to this host (" + steps.localHost().value() + ")"
                + created.map(v -> " and the volume it created (" + v.id().value() + ") may stay").orElse("");
        Rollback.run(ctx, settings.deviceWaitTimeout(), left, () -> {
            VolumeRecord rec = loadOrEmpty(name, ctx).withIntent(null);
            if (rec.consumers().isEmpty()) {
                // a volume about to be removed is unmounted only if nothing holds it
                releaseAndForget(rec, created.isEmpty(), ctx);
                if (created.isPresent()) {
                    storage.remove(created.get().id(), RemoveOptions.DEFAULT);
                    LOG.info("removed volume '{}' ({}), created by the failed mount", name, created.get().id());
                }
            } else {
                store.save(rec, ctx);
            }
        }).ifPresent(unfinished -> {
            failure.addSuppressed(unfinished);
            LOG.warn("rolling back the failed mount of '{}': {}", name, unfinished.detail(), unfinished);
        });
    }

    // ---------------------------------------------------------------- unmount

    @Override
    public void unmount(String name, ConsumerId consumer) {
        ErrorContext ctx = context("unmount", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Optional<VolumeRecord> loaded = repair.loadForChange(name, ctx);
            if (loaded.isEmpty()) {
                return;
            }
            VolumeRecord rec = recover(loaded.get(), ctx);
            if (!rec.consumers().contains(consumer.value())) {
                if (rec.consumers().isEmpty()) {
                    releaseAndForget(rec, false, ctx);
                }
                return;
            }
            if (rec.consumers().size() > 1) {
                store.save(rec.withoutConsumer(consumer.value()).stamped(os.bootId(), clock.instant()), ctx);
                return;
            }
            VolumeRecord leaving = rec.withIntent(new Intent(Intent.Kind.UNMOUNT, consumer.value(), clock.instant(), pid()));
            store.save(leaving, ctx);
            try {
                releaseAndForget(leaving.withoutConsumer(consumer.value()), false, ctx);
            } catch (VolumeInUseException busy) {
                store.save(rec, ctx);
                throw busy;
            }
        }
    }

    private void releaseAndForget(VolumeRecord rec, boolean lazy, ErrorContext ctx) {
        release.releaseAndForget(rec, lazy, ctx);
    }

    // ---------------------------------------------------------------- recovery

    private VolumeRecord loadOrEmpty(String name, ErrorContext ctx) {
        return repair.loadForChange(name, ctx).orElseGet(() -> VolumeRecord.empty(name, os.bootId(), clock.instant()));
    }

    private VolumeRecord recover(VolumeRecord rec, ErrorContext ctx) {
        return recovery.recover(rec, ctx);
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public Optional<Path> path(String name) {
        ErrorContext ctx = context("path", name);
        VolumeNames.requireValid(name, ctx);
        HostStateStore.Stored stored = store.read(name, ctx);
        if (stored instanceof HostStateStore.Stored.Damaged) {
            return repair.mountedPath(name, ctx);
        }
        return mountedRecord(stored, ctx).map(r -> settings.consumerPath(Path.of(r.mountPoint())));
    }

    /** Read without the volume's lock, as {@link #path} and {@link #list} read, so a running call on the volume does not delay it. */
    @Override
    public Optional<VolumeStatus> mountedHere(String name) {
        ErrorContext ctx = context("inspect", name);
        VolumeNames.requireValid(name, ctx);
        HostStateStore.Stored stored;
        try {
            stored = store.read(name, ctx);
        } catch (StorageException unreadable) {
            return Optional.empty(); // inspect reports it as the volume's problem
        }
        return mountedRecord(stored, ctx).map(r -> new VolumeStatus(localView(r),
                Optional.of(settings.consumerPath(Path.of(r.mountPoint()))), consumerIds(r)));
    }

    @Override
    public Optional<String> nameHeldHere(VolumeId id) {
        return nameHolding(id, null);
    }

    /**
     * The name of a record of this host, other than {@code except}, that holds volume {@code id} (consumers or an
     * intent). Only a back end that keeps no spec shows a volume under a name of its own before this host learns the
     * user's, so for the others no record is read (this runs on every cold mount and every lookup by id).
     */
    private Optional<String> nameHolding(VolumeId id, @Nullable String except) {
        if (facts.backendKeepsSpec()) {
            return Optional.empty();
        }
        ErrorContext ctx = context("inspect", null);
        for (String other : store.names()) {
            if (other.equals(except)) {
                continue;
            }
            try {
                Optional<VolumeRecord> rec = store.load(other, ctx);
                if (rec.isPresent() && rec.get().volume() != null && id.value().equals(rec.get().volume().id())
                        && (!rec.get().consumers().isEmpty() || rec.get().intent() != null)) {
                    return Optional.of(other);
                }
            } catch (StorageException damaged) {
                // a damaged record is that volume's problem (inspect and reconcile report it)
            }
        }
        return Optional.empty();
    }

    /** The record of a volume mounted here since this boot, as the mount table confirms ({@link #recordedMount}). */
    private Optional<VolumeRecord> mountedRecord(HostStateStore.Stored stored, ErrorContext ctx) {
        return stored.asRecord()
                .filter(r -> os.bootId().equals(r.bootId()))
                .filter(r -> recordedMount(r, ctx).isPresent());
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        ErrorContext ctx = context("create", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            VolumeSpec complete = steps.complete(spec);
            Volume volume = steps.create(name, complete, ctx);
            if (facts.backendKeepsSpec()) {
                return volume;
            }
            if (!volume.otherOwners(steps.localHost()).isEmpty()) {
                // in use on another host: its record cannot be read here, and a create takes nothing from anybody; a
                // takeover policy given to this create is remembered (as every Swarm node's create gives it)
                facts.toldPolicy(volume, name, complete, ctx);
                return volume;
            }
            boolean clone = complete.sourceSnapshot().isPresent();
            if (!clone) {
                facts.created(volume, name, complete, ctx);
            }
            return formatAtCreate(name, volume, complete, clone, ctx);
        }
    }

    /**
     * For a back end that cannot keep the filesystem a volume was created with: attaches the new (or unattached
     * existing) volume here, formats it if it is provably blank, writes its own record and lets it go, so that
     * the filesystem (which blkid finds on any host) and the record are the truth for every host, even when this
     * one dies. An existing volume's record must agree with the request. A crash anywhere leaves an intent that the
     * next call or reconcile finishes (a blank device is formatted only after a fresh probe; nothing else is).
     */
    private Volume formatAtCreate(String name, Volume volume, VolumeSpec requested, boolean clone, ErrorContext ctx) {
        VolumeRecord rec = recover(loadOrEmpty(name, ctx), ctx);
        if (!rec.consumers().isEmpty()) {
            return volume;
        }
        rec = rec.withIntent(new Intent(Intent.Kind.MOUNT, FORMAT_AT_CREATE, clock.instant(), pid()))
                .withVolume(StoredVolume.of(volume)).stamped(os.bootId(), clock.instant());
        store.save(rec, ctx);
        Volume known = facts.known(volume);
        if (clone) {
            // a clone holds its snapshot's filesystem, whatever the create's spec says: that filesystem becomes its record
            known = known.withFacts(known.name(), known.spec().toBuilder().fsType(Optional.empty()).build(), known.fields());
        }
        Volume result;
        try {
            AttachResult attached = steps.ensureAttached(known, new AttachOptions(PreemptionPolicy.NEVER, Set.of()),
                    "a create's (it never takes a volume from another host)", ctx);
            Path device = steps.awaitDevice(attached.attachment(), ctx);
            MountOptions plain = clone ? MountOptions.DEFAULT
                    : requested.fsType().map(f -> MountOptions.builder().fsType(f).build()).orElse(MountOptions.DEFAULT);
            VolumeSteps.Formatting fs;
            try {
                fs = steps.ensureMounted(known, settings.mountPointOf(name), attached.attachment(), device, plain, ctx);
            } catch (FilesystemMismatchException mismatch) {
                throw new VolumeSpecConflictException(ctx, "fsType " + mismatch.found() + " exists (on the device), "
                        + requested.fsType().orElse("no filesystem") + " requested");
            }
            result = facts.mounted(facts.known(attached.volume()), name, settings.mountPointOf(name), fs.fsType(), false,
                    Optional.of(requested), ctx);
        } catch (RuntimeException failure) {
            // a failure, not a crash (an Error such as a simulated crash leaves the intent, as a killed process would)
            try {
                releaseAndForget(rec, false, ctx);
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        releaseAndForget(rec, false, ctx);
        return result;
    }

    @Override
    public VolumeSpec defaultSpec() {
        return settings.defaultSpec();
    }

    /**
     * Removes the volume. Forced means "without asking", never "destroy what is in use": the recorded
     * consumers are dropped, but the filesystem is unmounted only if nothing holds it (a busy mount
     * raises {@link VolumeInUseException} naming the processes, and nothing changes), and a volume
     * attached to another host is taken from it only while the back end reports that host disconnected.
     */
    @Override
    public void remove(String name, RemoveOptions options) {
        ErrorContext ctx = context("remove", name);
        VolumeNames.requireValid(name, ctx);
        if (settings.removeDisabled()) {
            throw new OperationDisabledException(ctx, "libstorage." + IntegrationSettings.REMOVE_DISABLE);
        }
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Optional<VolumeRecord> rec = repair.loadForChange(name, ctx).map(r -> recover(r, ctx));
            Optional<Volume> volume = storage.findByName(name);
            boolean usedHere = rec.isPresent() && !rec.get().isIdle();
            if (usedHere && !options.force()) {
                throw new VolumeInUseException(ctx, "mounted on this host for consumers " + consumersOf(rec.get())
                        + "; unmount it, or remove with force to drop the consumers (a mount still in use is never removed)");
            }
            if (options.force()) {
                volume.ifPresent(v -> steps.unmountEverywhereHere(v, ctx));
            }
            if (rec.isPresent()) {
                releaseAndForget(rec.get(), false, ctx);
            }
            if (volume.isEmpty()) {
                if (options.strict()) {
                    throw new VolumeNotFoundException(ctx);
                }
                return;
            }
            if (options.force()) {
                refuseIfUsedByAConnectedHost(volume.get(), ctx);
            }
            storage.remove(volume.get().id(), options);
            facts.removed(name);
        }
    }

    /**
     * A back end that attaches volumes to other machines cannot see whether they use them; a forced
     * remove takes a volume from another host only on the back end's evidence that the host is gone.
     * (localfs sees every attachment in its own kernel, and its driver refuses what is open.)
     */
    private void refuseIfUsedByAConnectedHost(Volume known, ErrorContext ctx) {
        if (!storage.features().contains(Feature.REMOTE_ATTACH)) {
            return;
        }
        Volume fresh = storage.inspect(known.id()).orElse(known);
        List<OwnerEvidence> alive = fresh.otherOwners(steps.localHost()).stream().map(storage::ownerEvidence)
                .filter(e -> e.liveness() != Liveness.DISCONNECTED).toList();
        if (!alive.isEmpty()) {
            throw new VolumeInUseException(ctx, "attached to " + alive.stream().map(e -> "host '" + e.owner().value() + "' ("
                    + e.describe() + ")").collect(Collectors.joining(", ")) + "; a forced remove takes a volume only from hosts"
                    + " the back end reports disconnected: unmount or detach it on that host first");
        }
    }

    @Override
    public List<VolumeStatus> list() {
        ErrorContext ctx = context("list", null);
        Set<String> withState = new HashSet<>(store.names());
        return facts.known(storage.list(), facts.cachedProfiles()).stream()
                .map(v -> withState.contains(v.name()) ? status(v, v.name(), ctx) : status(v, new HostStateStore.Stored.Absent(), ctx))
                .toList();
    }

    @Override
    public Optional<VolumeStatus> inspect(String name) {
        ErrorContext ctx = context("inspect", name);
        VolumeNames.requireValid(name, ctx);
        return storage.findByName(name).map(facts::known).map(v -> status(v, name, ctx));
    }

    /**
     * A volume's state here from this host's record under {@code recordName}, the name that mounts and unmounts keyed it
     * by: an inspect reads the record of the name it was asked for, which is not the volume's known name when the caller
     * names it by its back-end name (a CSI node that knows the volume by id) and this host has since learnt its own name.
     * A record that cannot be read is that volume's problem, not the caller's.
     */
    private VolumeStatus status(Volume v, String recordName, ErrorContext ctx) {
        HostStateStore.Stored stored;
        try {
            stored = store.read(recordName, ctx);
        } catch (StorageException e) {
            return new VolumeStatus(v, repair.mountedPath(recordName, ctx), Set.of(), Optional.of(e.detail()), facts.unknown(v));
        }
        return status(v, stored, ctx);
    }

    /**
     * A volume's state here; a damaged record is reported with what the mount table shows. The path is shown
     * only while the mount table confirms the record ({@link #mountedRecord}), as {@link #path} shows it: after
     * a takeover that took this host's device away, the consumers are still recorded (their holds are released
     * by their unmounts or a reconcile) but nothing is mounted for them. When the back end shows the volume
     * attached to other hosts only, the record is reported stale (the problem says where the volume is and
     * what is left here) with no path, even while the old mount is still in the table.
     */
    private VolumeStatus status(Volume v, HostStateStore.Stored stored, ErrorContext ctx) {
        if (stored instanceof HostStateStore.Stored.Damaged d) {
            return new VolumeStatus(v, repair.mountedPath(v.name(), ctx), Set.of(), Optional.of(repair.problem(d)), facts.unknown(v));
        }
        Optional<VolumeRecord> rec = stored.asRecord();
        boolean current = rec.isPresent() && os.bootId().equals(rec.get().bootId());
        Set<ConsumerId> consumers = current ? consumerIds(rec.get()) : Set.of();
        if (!consumers.isEmpty() && takenElsewhere(v)) {
            return new VolumeStatus(v, Optional.empty(), consumers, Optional.of(stale(v, rec.get())));
        }
        Optional<Path> path = mountedRecord(stored, ctx).map(r -> settings.consumerPath(Path.of(r.mountPoint())));
        return new VolumeStatus(v, path, consumers, Optional.empty(), facts.unknown(v));
    }

    /** The back end shows the volume attached to other hosts and not to this one: a takeover took it from here. */
    private boolean takenElsewhere(Volume v) {
        return !v.attachments().isEmpty() && v.attachmentTo(steps.localHost()).isEmpty();
    }

    private static String stale(Volume v, VolumeRecord rec) {
        return "attached to " + v.attachments().stream().map(a -> a.hostId().value()).distinct().toList()
                + ", not to this host: this host's record (consumers " + rec.consumers().stream().sorted().toList()
                + (rec.mountPoint() == null ? "" : ", mounted at " + rec.mountPoint()) + ") is stale, left from before the volume"
                + " was taken over; the consumers' unmounts or a reconcile clear it";
    }

    @Override
    public Attachment attach(String name, AttachOptions options) {
        ErrorContext ctx = context("attach", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Volume volume = storage.findByName(name).orElseThrow(() -> new VolumeNotFoundException(ctx));
            boolean attachedBefore = volume.attachmentTo(steps.localHost()).isPresent();
            try {
                Attachment attachment = steps.ensureAttached(volume, options, "the attach's own", ctx).attachment();
                steps.awaitDevice(attachment, ctx);
                return attachment;
            } catch (RuntimeException e) {
                if (!attachedBefore) {
                    undoAttach(volume, e, ctx);
                }
                throw e;
            }
        }
    }

    /**
     * A failed attach (the device never appeared, or the back end failed after the map) would leave the volume mapped
     * to this host for nobody: undone (a detach only if the back end shows it attached here), or reported as left.
     */
    private void undoAttach(Volume volume, RuntimeException failure, ErrorContext ctx) {
        String left = "volume '" + volume.name() + "' may stay mapped to this host (" + steps.localHost().value()
                + ") by this failed attach";
        Rollback.run(ctx, settings.deviceWaitTimeout(), left, () -> steps.detachIfMine(volume, ctx)).ifPresent(e -> {
            failure.addSuppressed(e);
            LOG.warn("undoing the attach of '{}': {}", volume.name(), e.detail(), e);
        });
    }

    /**
     * Detaches the volume from this host. Forced drops the recorded consumers without asking, but
     * unmounts only a filesystem nothing holds: a busy mount raises {@link VolumeInUseException}
     * naming the processes, and nothing changes.
     */
    @Override
    public void detach(String name, DetachOptions options) {
        ErrorContext ctx = context("detach", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Optional<VolumeRecord> rec = repair.loadForChange(name, ctx).map(r -> recover(r, ctx));
            boolean usedHere = rec.isPresent() && !rec.get().isIdle();
            if (usedHere && !options.force()) {
                throw new VolumeInUseException(ctx, "mounted on this host for consumers " + consumersOf(rec.get())
                        + "; unmount it, or detach with force to drop the consumers (a mount still in use is never detached)");
            }
            Optional<Volume> volume = storage.findByName(name);
            if (options.force()) {
                volume.ifPresent(v -> steps.unmountEverywhereHere(v, ctx));
            }
            if (usedHere) {
                releaseAndForget(rec.get(), false, ctx);
            }
            volume.ifPresent(v -> steps.detachIfMine(v, ctx));
            rec.ifPresent(r -> store.delete(name, ctx));
        }
    }

    /** Under the volume's lock, so that no mount, unmount or grow of this host runs while its filesystem is frozen. */
    @Override
    public Snapshot snapshot(String name, String snapshotName) {
        ErrorContext ctx = context("snapshot", name);
        VolumeNames.requireValid(name, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Volume volume = storage.findByName(name).orElseThrow(() -> new VolumeNotFoundException(ctx));
            return snapshots.take(volume, snapshotName, ctx);
        }
    }

    /** Under the volume's lock, so that no mount of this host starts while its filesystem grows offline. */
    @Override
    public GrownVolume grow(String name, long newSizeBytes) {
        ErrorContext ctx = context("grow", name);
        VolumeNames.requireValid(name, ctx);
        ByteSizes.requireVolumeSize(newSizeBytes, ctx);
        try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
            Volume volume = storage.findByName(name).orElseThrow(() -> new VolumeNotFoundException(ctx));
            GrownVolume grown = growth.grow(volume, newSizeBytes, ctx);
            Path mountPoint = settings.mountPointOf(name);
            boolean mountedHere = grown.filesystem() == GrownVolume.Filesystem.GROWN_MOUNTED;
            return new GrownVolume(facts.grown(facts.known(grown.volume()), name, newSizeBytes,
                    mountedHere ? Optional.of(mountPoint) : Optional.empty(), ctx), grown.filesystem());
        }
    }

    @Override
    public ReconcileReport reconcile() {
        return reconciler.reconcile(null);
    }

    @Override
    public ReconcileReport reconcile(Set<ConsumerId> liveConsumers) {
        return reconciler.reconcile(Set.copyOf(liveConsumers));
    }

    @Override
    public void close() {
        // drivers are closed by their owner (LibStorage)
    }

    static String consumersOf(VolumeRecord rec) {
        return rec.consumers().stream().map(c -> ConsumerId.of(c).toString()).toList().toString();
    }

    /** The consumer of the intent a create's format writes; never committed. */
    private static final String FORMAT_AT_CREATE = "libstorage:format-at-create";

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
