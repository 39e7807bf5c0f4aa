package io.libstorage.tck;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.DetachOptions;
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

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps any {@link StorageDriver}: counts calls (and attaches that changed the back end) and injects
 * the crashes of a {@link CrashPlan} around its mutating calls. Used by the conformance suites;
 * useful in any driver's own tests.
 */
public final class InstrumentedStorageDriver extends ForwardingStorageDriver {
    private final CrashPlan crashes;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong effectiveAttaches = new AtomicLong();
    private final AtomicLong creates = new AtomicLong();

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

    @Override
    public AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
        return mutating("attach " + id, () -> {
            AttachResult r = delegate().attach(id, host, options);
            if (r.changed()) {
                effectiveAttaches.incrementAndGet();
            }
            return r;
        });
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
