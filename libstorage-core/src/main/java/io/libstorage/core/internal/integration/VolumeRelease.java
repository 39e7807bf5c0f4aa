package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.Volume;
import io.libstorage.core.internal.state.HostStateStore;
import io.libstorage.core.internal.state.VolumeRecord;
import io.libstorage.spi.StorageDriver;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Lets go of a volume no consumer holds any more: unmounts it, detaches it from this host and
 * deletes its record. Used by unmount, remove, detach, a failed mount's roll-back and reconcile; the
 * caller holds the volume's lock.
 */
final class VolumeRelease {
    private final StorageDriver storage;
    private final IntegrationSettings settings;
    private final HostStateStore store;
    private final VolumeSteps steps;

    VolumeRelease(StorageDriver storage, IntegrationSettings settings, HostStateStore store, VolumeSteps steps) {
        this.storage = storage;
        this.settings = settings;
        this.store = store;
        this.steps = steps;
    }

    /**
     * Unmounts (lazily if asked), detaches and deletes the record. A record written by a call that
     * stopped before it learnt the volume's id is resolved by name.
     */
    void releaseAndForget(VolumeRecord rec, boolean lazy, ErrorContext ctx) {
        Path mountPoint = rec.mountPoint() == null ? settings.mountPointOf(rec.name()) : Path.of(rec.mountPoint());
        Optional<Volume> volume = rec.volume() != null ? Optional.of(rec.volume().toVolume(List.of()))
                : storage.findByName(rec.name());
        steps.release(rec.name(), volume, mountPoint, lazy, ctx);
        store.delete(rec.name(), ctx);
    }
}
