package io.libstorage.core.internal.integration;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.MountEntry;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.StaleMount;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNames;
import io.libstorage.core.internal.state.HostStateStore;
import io.libstorage.core.internal.state.ProfileStore;
import io.libstorage.core.internal.state.VolumeLocks;
import io.libstorage.core.internal.state.VolumeRecord;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Brings this host's durable records, its mount table and the back end back into agreement after
 * a restart, a crash or a pre-emption. Stale mounts are unmounted lazily and never remounted.
 */
final class Reconciler {
    /** Far longer than any write of a cached profile takes: an older temporary file has no live writer. */
    private static final Duration PROFILE_WRITE_BOUND = Duration.ofMinutes(1);
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
    private final ProfileStore profiles;

    Reconciler(StorageDriver storage, OSDriver os, IntegrationSettings settings, HostStateStore store, VolumeLocks locks,
               VolumeSteps steps, StateRepair repair, RecordRecovery recovery, VolumeRelease release, FrozenSnapshots snapshots,
               ProfileStore profiles) {
        this.storage = storage;
        this.os = os;
        this.settings = settings;
        this.store = store;
        this.locks = locks;
        this.steps = steps;
        this.repair = repair;
        this.recovery = recovery;
        this.release = release;
        this.snapshots = snapshots;
        this.profiles = profiles;
    }

    /**
     * Reconciles the storage driver's own leftovers, then every volume this host knows of (a record, a
     * temporary file of an interrupted write of one, a mount under the mount root, or the freeze note of
     * a snapshot that did not finish); {@code live == null} keeps all consumers.
     */
    ReconcileReport reconcile(Set<ConsumerId> live) {
        Report report = new Report();
        try {
            BackendReconcile backend = storage.reconcile();
            backend.repaired().forEach(r -> report.repaired.add(storage.name() + ": " + r));
            backend.problems().forEach(p -> report.problems.add(storage.name() + ": " + p));
        } catch (StorageException e) {
            report.problems.add(storage.name() + ": " + e.getMessage());
        }
        try {
            profiles.deleteTemporariesOlderThan(Instant.now().minus(PROFILE_WRITE_BOUND)).forEach(p ->
                    report.repaired.add("deleted " + p + ", left by an interrupted write of a cached profile"));
        } catch (IOException e) {
            report.problems.add("cannot clean the cached profiles: " + e);
        }
        Set<String> names = new TreeSet<>(store.names());
        names.addAll(store.namesWithTemporaries());
        names.addAll(mountedUnderRoot(steps.context("reconcile", null)));
        names.addAll(snapshots.notedVolumes());
        for (String name : names) {
            ErrorContext ctx = steps.context("reconcile", name);
            try (VolumeLocks.Held ignored = locks.acquire(name, ctx)) {
                // every writer of the record holds this lock: what a writer left is no live writer's
                store.deleteTemporaries(name, ctx).forEach(p ->
                        report.repaired.add(name + ": deleted " + p + ", left by an interrupted write of its state file"));
                snapshots.thawLeftover(name, ctx).ifPresent(done -> report.repaired.add(name + ": " + done));
                reconcileOne(name, live, report, ctx);
            } catch (StorageException e) {
                report.problems.add(name + ": " + e.getMessage());
            }
        }
        return new ReconcileReport(report.dropped, report.released, report.stale, report.repaired, report.problems);
    }

    private Set<String> mountedUnderRoot(ErrorContext ctx) {
        Set<String> out = new TreeSet<>();
        for (MountEntry e : os.mounts(ctx)) {
            Path parent = e.mountPoint().getParent();
            if (parent != null && parent.equals(settings.mountRoot())) {
                String name = e.mountPoint().getFileName().toString();
                if (VolumeNames.isValid(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private void reconcileOne(String name, Set<ConsumerId> live, Report report, ErrorContext ctx) {
        HostStateStore.Stored stored = store.read(name, ctx);
        Optional<VolumeRecord> loaded = stored instanceof HostStateStore.Stored.Damaged d ? repair.rebuild(name, d, ctx, report.repaired)
                : stored.asRecord();
        Path mountPoint = settings.mountPointOf(name);
        if (loaded.isEmpty()) {
            if (os.mountAt(ctx, mountPoint).isPresent()) {
                StaleMount s = new StaleMount(name, mountPoint, "mounted under the library's mount root with no record of any consumer");
                steps.lazyUnmountStale(s, ctx);
                report.stale.add(s);
            }
            return;
        }
        VolumeRecord original = loaded.get();
        Set<String> before = new TreeSet<>(original.consumers());
        if (original.intent() != null) {
            before.add(original.intent().consumer());
        }
        VolumeRecord rec = recovery.recover(original, ctx);
        if (live != null) {
            Set<String> keep = rec.consumers().stream().filter(c -> live.contains(ConsumerId.of(c))).collect(Collectors.toSet());
            if (!keep.equals(rec.consumers())) {
                rec = rec.withConsumers(keep);
                store.save(rec, ctx);
            }
        }
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(rec.consumers());
        if (rec.consumers().isEmpty()) {
            release.releaseAndForget(rec, false, ctx);
            report.drop(name, gone);
            report.released.add(name);
            return;
        }
        String reason = staleReason(rec, ctx);
        if (reason == null) {
            report.drop(name, gone);
            return;
        }
        StaleMount stale = new StaleMount(name, rec.mountPoint() == null ? mountPoint : Path.of(rec.mountPoint()), reason);
        steps.lazyUnmountStale(stale, ctx);
        if (rec.volume() != null) {
            try {
                steps.detachIfMine(rec.volume().toVolume(List.of()), ctx);
            } catch (StorageException e) {
                report.problems.add(name + ": " + e.getMessage());
            }
        }
        gone.addAll(rec.consumers());
        report.drop(name, gone);
        report.stale.add(stale);
        store.delete(name, ctx);
    }

    /**
     * Why a mount with consumers can no longer serve them, or {@code null} when it is healthy. What
     * the back end says (the volume is gone, or now attached elsewhere) is preferred to local
     * symptoms because it names the cause; the local checks decide alone when the back end cannot
     * be asked.
     */
    private String staleReason(VolumeRecord rec, ErrorContext ctx) {
        if (rec.mountPoint() == null || rec.device() == null) {
            return "the record names consumers but no mount";
        }
        Path mountPoint = Path.of(rec.mountPoint());
        Optional<MountEntry> mount = os.mountAt(ctx, mountPoint);
        if (mount.isEmpty()) {
            return "the mount at " + mountPoint + " no longer exists";
        }
        String fromBackend = backendReason(rec);
        if (fromBackend != null) {
            return fromBackend;
        }
        Path device = Path.of(rec.device());
        Optional<String> number = os.deviceNumber(ctx, device);
        if (number.isEmpty()) {
            return "its device " + device + " vanished";
        }
        if (!number.get().equals(mount.get().deviceNumber())) {
            return "the mount point holds " + mount.get().source() + " instead of " + device;
        }
        try {
            os.checkReadable(ctx, device);
        } catch (DeviceIOException e) {
            return "its device returns I/O errors: " + e.detail();
        }
        return null;
    }

    private String backendReason(VolumeRecord rec) {
        if (rec.volume() == null) {
            return null;
        }
        Optional<Volume> volume;
        try {
            volume = storage.inspect(new VolumeId(rec.volume().id()));
        } catch (StorageException e) {
            return null;
        }
        if (volume.isEmpty()) {
            return "the volume no longer exists on the back end";
        }
        HostId me = steps.localHost();
        if (volume.get().attachmentTo(me).isEmpty()) {
            List<HostId> others = volume.get().otherOwners(me);
            return others.isEmpty() ? "the volume is no longer attached to this host"
                    : "the volume is now attached to host " + others.stream().map(HostId::value).toList();
        }
        return null;
    }

    private static final class Report {
        final Map<String, Set<ConsumerId>> dropped = new LinkedHashMap<>();
        final List<String> released = new ArrayList<>();
        final List<StaleMount> stale = new ArrayList<>();
        final List<String> repaired = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        void drop(String name, Set<String> consumers) {
            if (!consumers.isEmpty()) {
                dropped.put(name, consumers.stream().map(ConsumerId::of).collect(Collectors.toSet()));
            }
        }
    }
}
