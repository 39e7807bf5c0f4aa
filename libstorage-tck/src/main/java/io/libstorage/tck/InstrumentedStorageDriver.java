package io.libstorage.tck;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;
import io.libstorage.spi.support.Takeover;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps any {@link StorageDriver}: counts calls (and attaches that changed the back end), injects
 * the crashes of a {@link CrashPlan} around its mutating calls, and records the steps an attach takes
 * on the driver's {@link VolumeMapping} primitives ({@link #steps()}), where unmaps can be lost or
 * failed on purpose. Used by the conformance suites; useful in any driver's own tests.
 */
public final class InstrumentedStorageDriver extends ForwardingStorageDriver {
    private final CrashPlan crashes;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong effectiveAttaches = new AtomicLong();
    private final AtomicLong creates = new AtomicLong();
    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final AtomicInteger unmapsToLose = new AtomicInteger();
    private final AtomicInteger unmapsToFail = new AtomicInteger();

    /**
     * One primitive an attach used, in order.
     *
     * @param kind what was asked
     * @param host the owner (evidence, unmap) or the target (map); {@code null} for a read
     * @param mappedTo for a read, the hosts the back end showed; for a map, whether it was done ({@code host} or empty)
     */
    public record Step(Kind kind, HostId host, List<HostId> mappedTo) {
        public enum Kind { READ, EVIDENCE, UNMAP, MAP }

        @Override
        public String toString() {
            return kind + (host == null ? "" : " " + host.value()) + (kind == Kind.READ || kind == Kind.MAP ? " " + mappedTo : "");
        }
    }

    public InstrumentedStorageDriver(StorageDriver delegate, CrashPlan crashes) {
        super(delegate);
        this.crashes = crashes;
    }

    /** Every call made through this wrapper. */
    public long calls() {
        return calls.get();
    }

    /** Attach calls that changed the back end ({@link AttachResult#changed()}). */
    public long effectiveAttaches() {
        return effectiveAttaches.get();
    }

    /** Create calls made. */
    public long creates() {
        return creates.get();
    }

    /** The primitives attaches used since the last {@link #clearSteps()}, in order. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public void clearSteps() {
        steps.clear();
    }

    /** The next {@code n} unmaps of an attach do not reach the driver (an unmap the back end lost). */
    public void loseNextUnmaps(int n) {
        unmapsToLose.set(n);
    }

    /** The next {@code n} unmaps of an attach fail as an unreachable back end would, before reaching the driver. */
    public void failNextUnmaps(int n) {
        unmapsToFail.set(n);
    }

    private <T> T mutating(String what, Supplier<T> call) {
        calls.incrementAndGet();
        crashes.before(what);
        T r = call.get();
        crashes.after(what);
        return r;
    }

    private <T> T reading(Supplier<T> call) {
        calls.incrementAndGet();
        return call.get();
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        return reading(() -> delegate().inspect(id));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        return reading(() -> delegate().findByName(name));
    }

    @Override
    public List<Volume> list() {
        return reading(delegate()::list);
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        creates.incrementAndGet();
        return mutating("create " + name, () -> delegate().create(name, spec));
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        mutating("remove " + id, () -> {
            delegate().remove(id, options);
            return null;
        });
    }

    /**
     * Runs the takeover template over the recorded primitives, as the driver's own {@code attach} does
     * (a driver that overrides {@code attach} is called as it is, and nothing is recorded).
     */
    @Override
    public AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
        return mutating("attach " + id, () -> {
            AttachResult r;
            if (usesTheTemplate(delegate())) {
                try (VolumeMapping m = mapping(id, host)) {
                    r = Takeover.attach(m, host, options);
                }
            } else {
                r = delegate().attach(id, host, options);
            }
            if (r.changed()) {
                effectiveAttaches.incrementAndGet();
            }
            return r;
        });
    }

    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return new RecordedMapping(delegate().mapping(id, target));
    }

    /** Whether {@code driver} attaches with the default {@link StorageDriver#attach}, the takeover template. */
    public static boolean usesTheTemplate(StorageDriver driver) {
        try {
            return driver.getClass().getMethod("attach", VolumeId.class, HostId.class, AttachOptions.class)
                    .getDeclaringClass() == StorageDriver.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class RecordedMapping implements VolumeMapping {
        private final VolumeMapping delegate;

        RecordedMapping(VolumeMapping delegate) {
            this.delegate = delegate;
        }

        @Override
        public ErrorContext context() {
            return delegate.context();
        }

        @Override
        public Volume read() {
            Volume v = delegate.read();
            steps.add(new Step(Step.Kind.READ, null, v.attachments().stream().map(Attachment::hostId).distinct().toList()));
            return v;
        }

        @Override
        public OwnerEvidence evidence(HostId owner) {
            steps.add(new Step(Step.Kind.EVIDENCE, owner, List.of()));
            return delegate.evidence(owner);
        }

        @Override
        public void unmap(HostId owner) {
            steps.add(new Step(Step.Kind.UNMAP, owner, List.of()));
            if (unmapsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new BackendUnavailableException(delegate.context(), "the unmap from " + owner.value()
                        + " did not reach the back end (injected by the conformance kit)", true, null);
            }
            if (unmapsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return;
            }
            delegate.unmap(owner);
        }

        @Override
        public boolean map(HostId target, boolean exclusive) {
            boolean done = delegate.map(target, exclusive);
            steps.add(new Step(Step.Kind.MAP, target, done ? List.of(target) : List.of()));
            return done;
        }

        @Override
        public Optional<Volume> acknowledgedMap(Volume before, HostId target) {
            return delegate.acknowledgedMap(before, target);
        }

        @Override
        public Duration ownerGracePeriod() {
            return delegate.ownerGracePeriod();
        }

        @Override
        public Clock clock() {
            return delegate.clock();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        mutating("detach " + id, () -> {
            delegate().detach(id, host, options);
            return null;
        });
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId host) {
        return reading(() -> delegate().ownerEvidence(host));
    }

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        return mutating("snapshot " + id, () -> delegate().snapshot(id, snapshotName));
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        return reading(() -> delegate().snapshots(id));
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        mutating("remove snapshot " + id, () -> {
            delegate().removeSnapshot(id);
            return null;
        });
    }

    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        return mutating("grow " + id, () -> delegate().grow(id, newSizeBytes));
    }
}
