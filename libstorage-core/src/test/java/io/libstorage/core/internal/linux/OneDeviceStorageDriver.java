package io.libstorage.core.internal.linux;

import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** A storage driver whose only volume is an existing local block device, to drive the core pipeline over the Linux OS driver. */
final class OneDeviceStorageDriver implements StorageDriver {
    static final HostId HOST = HostId.of("host-a");
    private final Path device;
    private final AtomicReference<Volume> volume = new AtomicReference<>();

    OneDeviceStorageDriver(Path device) {
        this.device = device;
    }

    @Override
    public String name() {
        return "one-device";
    }

    @Override
    public Set<Feature> features() {
        return Set.of();
    }

    @Override
    public HostSide hostSide() {
        return new HostSide() {
            @Override
            public HostId localHost() {
                return HOST;
            }

            @Override
            public Optional<Path> findDevice(Attachment attachment) {
                return Optional.of(device);
            }

            @Override
            public List<String> searchedLocations(Attachment attachment) {
                return List.of(device.toString());
            }
        };
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        return Optional.ofNullable(volume.get()).filter(v -> v.id().equals(id));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        return Optional.ofNullable(volume.get()).filter(v -> v.name().equals(name));
    }

    @Override
    public List<Volume> list() {
        return Optional.ofNullable(volume.get()).stream().toList();
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        return volume.updateAndGet(v -> v != null ? v
                : new Volume(VolumeId.of(name + "-id"), name, spec, spec.sizeBytes(), List.of(), Map.of(), null, name()));
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        volume.set(null);
    }

    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return new VolumeMapping() {
            @Override
            public ErrorContext context() {
                return ErrorContext.of("attach", id.value(), target.value(), name());
            }

            @Override
            public Volume read() {
                return volume.get();
            }

            @Override
            public OwnerEvidence evidence(HostId owner) {
                return new OwnerEvidence(owner, Liveness.UNKNOWN, null, name());
            }

            @Override
            public void unmap(HostId owner) {
                volume.updateAndGet(x -> x.withAttachments(List.of()));
            }

            @Override
            public boolean map(HostId host, boolean exclusive) {
                Attachment a = new Attachment(id, host, id.value(), AttachmentState.ATTACHED, null);
                volume.updateAndGet(x -> x.withAttachments(List.of(a)));
                return true;
            }
        };
    }

    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        volume.updateAndGet(x -> x == null ? null : x.withAttachments(List.of()));
    }
}
