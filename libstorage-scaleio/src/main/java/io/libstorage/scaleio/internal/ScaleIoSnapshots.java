package io.libstorage.scaleio.internal;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.Snapshot;
import io.libstorage.api.Volume;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Native snapshots (point-in-time, so no frozen filesystem is needed) and growth. A snapshot's gateway
 * name is derived from the volume id and the snapshot name, so a repeat finds the one already taken.
 */
final class ScaleIoSnapshots {
    private final GatewayClient client;
    private final GatewayVolumes volumes;
    private final NameRegistry registry;
    private final Discovery discovery;

    ScaleIoSnapshots(GatewayClient client, GatewayVolumes volumes, NameRegistry registry, Discovery discovery) {
        this.client = client;
        this.volumes = volumes;
        this.registry = registry;
        this.discovery = discovery;
    }

    Snapshot snapshot(String volumeId, String snapshotName, ErrorContext plain) {
        VolumeObj v = volumes.existing(volumeId, plain);
        ErrorContext ctx = volumes.named(plain, v);
        String gw = NameRegistry.snapshotGatewayName(v.id(), snapshotName);
        Optional<VolumeObj> existing = volumes.idOf(gw, ctx).flatMap(sid -> volumes.fetch(sid, ctx));
        if (existing.isEmpty()) {
            GatewayResponse r = client.post(ctx, "/api/instances/System::" + discovery.layout(ctx).systemId() + "/action/snapshotVolumes",
                    Map.of("snapshotDefs", List.of(Map.of("volumeId", v.id(), "snapshotName", gw))));
            if (!r.ok() && r.errorCode() != 99) {
                throw GatewayVolumes.failure(ctx, r);
            }
            registry.remember(gw, NameRegistry.Entry.nameOnly(snapshotName), ctx);
            existing = volumes.idOf(gw, ctx).flatMap(sid -> volumes.fetch(sid, ctx));
        }
        VolumeObj s = existing.orElseThrow(() -> new OperationFailedException(ctx, "the gateway took snapshot " + gw + " but cannot find it", null));
        return volumes.toSnapshot(s, snapshotName);
    }

    List<Snapshot> snapshots(String volumeId, ErrorContext ctx) {
        VolumeObj v = volumes.existing(volumeId, ctx);
        List<VolumeObj> tree = client.readList(ctx, GatewayVolumes.ok(ctx,
                client.get(ctx, "/api/instances/VTree::" + v.vtreeId() + "/relationships/Volume")), VolumeObj.class);
        return tree.stream().filter(s -> v.id().equals(s.ancestorVolumeId()) && NameRegistry.isSnapshotName(s.name()))
                .map(s -> volumes.toSnapshot(s, registry.lookup(s.name()).map(NameRegistry.Entry::name).orElse(s.name()))).toList();
    }

    void removeSnapshot(String snapshotId, ErrorContext ctx) {
        Optional<VolumeObj> s = volumes.fetch(snapshotId, ctx);
        if (s.isEmpty()) {
            return;
        }
        volumes.remove(snapshotId, ctx);
        registry.forget(s.get().name());
    }

    /** Grows to the granule that holds {@code newSizeBytes}; a volume already that large is returned unchanged. */
    Volume grow(String volumeId, long newSizeBytes, ErrorContext plain) {
        ByteSizes.requireVolumeSize(newSizeBytes, plain);
        VolumeObj v = volumes.existing(volumeId, plain);
        ErrorContext ctx = volumes.named(plain, v);
        long kib = GatewayVolumes.allocatedKib(newSizeBytes);
        return volumes.view(kib <= v.sizeInKb() ? v : volumes.resize(v, kib, ctx), null, ctx);
    }
}
