package io.libstorage.inmemory;

import io.libstorage.api.AmbiguousVolumeException;
import io.libstorage.api.Attachment;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.inmemory.Model.SimHost;
import io.libstorage.inmemory.Model.SimVolume;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** One simulated host's view of an {@link InMemoryCluster}'s control plane (the {@link Backend}). */
final class InMemoryStorageDriver implements StorageDriver {
    private final Backend backend;
    private final HostId host;
    private final HostSide hostSide;

    InMemoryStorageDriver(Backend backend, HostId host) {
        this.backend = backend;
        this.host = host;
        this.hostSide = new InMemoryHostSide();
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<Feature> features() {
        return backend.features();
    }

    @Override
    public HostSide hostSide() {
        return hostSide;
    }

    private <T> T call(StorageOp op, String operation, String volume, Function<ErrorContext, T> body) {
        ErrorContext ctx = ErrorContext.of(operation, volume, host.value(), name());
        backend.recordCall(host, op);
        if (!backend.faults().slowDown()) {
            throw new BackendUnavailableException(ctx, "the call was interrupted while the back end was slow (injected latency)", true, null);
        }
        synchronized (backend) {
            SimHost h = backend.hostState(host);
            if (!h.alive) {
                throw new BackendUnavailableException(ctx, "this host is dead in the simulation and cannot call the back end", false, null);
            }
            if (h.partitioned) {
                throw new BackendUnavailableException(ctx, "this host cannot reach the storage system (network partition)", true, null);
            }
            if (backend.faults().beforeStorage(op, ctx)) {
                backend.recordCall(host, StorageOp.LOGIN);
            }
            return body.apply(ctx);
        }
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        return call(StorageOp.INSPECT, "inspect", id.value(), ctx -> backend.volume(id).map(backend::view));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        return call(StorageOp.FIND_BY_NAME, "inspect", name, ctx -> {
            List<SimVolume> found = backend.volumesNamed(name);
            if (found.size() > 1) {
                throw new AmbiguousVolumeException(ctx, found.stream().map(v -> v.id).toList());
            }
            return found.stream().findFirst().map(backend::view);
        });
    }

    @Override
    public List<Volume> list() {
        return call(StorageOp.LIST, "list", null, ctx -> backend.listVolumes());
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        return call(StorageOp.CREATE, "create", name, ctx -> backend.create(name, spec, ctx));
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        call(StorageOp.REMOVE, "remove", id.value(), ctx -> {
            if (options.force()) {
                backend.refuseIfMountedOn(id, host, ctx);
            }
            backend.remove(id, options, ctx);
            return null;
        });
    }

    /** One {@link StorageOp#ATTACH} call opens it; each primitive runs under the cluster's lock. */
    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return call(StorageOp.ATTACH, "attach", id.value(), ctx -> {
            SimVolume v = backend.volume(id).orElseThrow(() -> new VolumeNotFoundException(ctx));
            return new SimMapping(v, ctx.withVolume(v.name + " (" + v.id + ")"));
        });
    }

    @Override
    public void detach(VolumeId id, HostId target, DetachOptions options) {
        call(StorageOp.DETACH, "detach", id.value(), ctx -> {
            if (target.equals(host)) {
                backend.refuseIfMountedOn(id, host, ctx);
            }
            backend.detach(id, target);
            return null;
        });
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId owner) {
        return call(StorageOp.OWNER_EVIDENCE, "owner evidence", null, ctx -> backend.evidence(owner));
    }

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        return call(StorageOp.SNAPSHOT, "snapshot", id.value(), ctx -> backend.snapshot(id, snapshotName, ctx));
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        return call(StorageOp.LIST_SNAPSHOTS, "list snapshots", id.value(), ctx -> backend.snapshotsOf(id));
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        call(StorageOp.REMOVE_SNAPSHOT, "remove snapshot", id.value(), ctx -> {
            backend.removeSnapshot(id);
            return null;
        });
    }

    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        return call(StorageOp.GROW, "grow", id.value(), ctx -> backend.grow(id, newSizeBytes, ctx));
    }

    @Override
    public String toString() {
        return "InMemoryStorageDriver[" + host + "]";
    }

    /** The takeover primitives on the simulated back end. */
    private final class SimMapping implements VolumeMapping {
        private final SimVolume volume;
        private final ErrorContext ctx;

        SimMapping(SimVolume volume, ErrorContext ctx) {
            this.volume = volume;
            this.ctx = ctx;
        }

        @Override
        public ErrorContext context() {
            return ctx;
        }

        @Override
        public Volume read() {
            synchronized (backend) {
                return backend.volume(volume.id).map(backend::view).orElseThrow(() -> new VolumeNotFoundException(ctx));
            }
        }

        @Override
        public OwnerEvidence evidence(HostId owner) {
            synchronized (backend) {
                return backend.evidence(owner);
            }
        }

        @Override
        public void unmap(HostId owner) {
            synchronized (backend) {
                backend.unmap(volume, owner);
            }
        }

        @Override
        public boolean map(HostId target, boolean exclusive) {
            synchronized (backend) {
                return backend.map(volume, target, exclusive);
            }
        }

        @Override
        public Duration ownerGracePeriod() {
            return backend.ownerGracePeriod();
        }

        @Override
        public Clock clock() {
            return backend.clock();
        }
    }

    /** Where this host sees attached volumes: {@code /dev/memvol/<volume id>} while mapped here and connected. */
    private final class InMemoryHostSide implements HostSide {
        @Override
        public HostId localHost() {
            return host;
        }

        @Override
        public Optional<Path> findDevice(Attachment attachment) {
            synchronized (backend) {
                SimHost h = backend.hostState(host);
                return backend.volume(attachment.volumeId())
                        .filter(v -> h.alive && !h.partitioned && v.mappings.containsKey(host))
                        .filter(v -> !backend.faults().deviceHidden(v.name))
                        .map(Backend::deviceNode);
            }
        }

        @Override
        public List<String> searchedLocations(Attachment attachment) {
            return List.of("/dev/memvol/" + attachment.volumeId().value() + " on simulated host " + host);
        }
    }
}
