package io.libstorage.tck;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A {@link StorageDriver} that forwards every call to another one; override the calls a test wants
 * to observe or disturb (count them, fail them, restart a back end before them).
 */
public abstract class ForwardingStorageDriver implements StorageDriver {
    private final StorageDriver delegate;

    protected ForwardingStorageDriver(StorageDriver delegate) {
        this.delegate = delegate;
    }

    public StorageDriver delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<Feature> features() {
        return delegate.features();
    }

    @Override
    public HostSide hostSide() {
        return delegate.hostSide();
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        return delegate.inspect(id);
    }

    @Override
    public Optional<Volume> findByName(String name) {
        return delegate.findByName(name);
    }

    @Override
    public List<Volume> list() {
        return delegate.list();
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        return delegate.create(name, spec);
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        delegate.remove(id, options);
    }

    @Override
    public AttachResult attach(VolumeId id, HostId host, AttachOptions options) {
        return delegate.attach(id, host, options);
    }

    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return delegate.mapping(id, target);
    }

    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        delegate.detach(id, host, options);
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId host) {
        return delegate.ownerEvidence(host);
    }

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        return delegate.snapshot(id, snapshotName);
    }

    @Override
    public boolean snapshotsNeedFrozenFilesystem() {
        return delegate.snapshotsNeedFrozenFilesystem();
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        return delegate.snapshots(id);
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        delegate.removeSnapshot(id);
    }

    @Override
    public OptionalLong availableCapacityBytes() {
        return delegate.availableCapacityBytes();
    }

    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        return delegate.grow(id, newSizeBytes);
    }

    @Override
    public BackendReconcile reconcile() {
        return delegate.reconcile();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
