package io.libstorage.scaleio.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.scaleio.internal.GatewayModel.MappedSdc;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's volume objects, as every part of the driver reads and changes them: lookups by id and
 * by gateway name, the view as a {@link Volume} (the user's name and spec from the {@link NameRegistry},
 * attachments per SDC), removal (waited for), resizing, and the mapping of gateway answers to errors.
 */
final class GatewayVolumes {
    private static final long GRANULE_KIB = 8L * 1024 * 1024;

    /** How old a lookup by this thread may be to answer the first read of the next step of the same operation. */
    private static final long REUSE_NANOS = 1_000_000_000L;

    private record Recent(String id, VolumeObj volume, long readAt) {
    }

    private final GatewayClient client;
    private final NameRegistry registry;
    private final VolumeIds ids;
    private final Sdcs sdcs;
    private final ScaleIoSettings settings;
    private final Discovery discovery;
    private final ThreadLocal<Recent> recent = new ThreadLocal<>();

    GatewayVolumes(GatewayClient client, NameRegistry registry, VolumeIds ids, Sdcs sdcs, ScaleIoSettings settings, Discovery discovery) {
        this.client = client;
        this.registry = registry;
        this.ids = ids;
        this.sdcs = sdcs;
        this.settings = settings;
        this.discovery = discovery;
    }

    /** Bytes to KiB, rounded up to the 8 GiB granule (minimum 8 GiB), as the gateway allocates. */
    static long allocatedKib(long bytes) {
        long kib = Math.max(1, (bytes + 1023) / 1024);
        return ByteSizes.roundUp(kib, GRANULE_KIB);
    }

    /** The id of the volume (or snapshot) with this gateway name. */
    Optional<String> idOf(String gatewayName, ErrorContext ctx) {
        GatewayResponse r = client.post(ctx, "/api/types/Volume/instances/action/queryIdByKey", Map.of("name", gatewayName));
        if (r.notFound()) {
            return Optional.empty();
        }
        return Optional.of(GatewayClient.unquote(ok(ctx, r)));
    }

    /**
     * The volume (or snapshot) with this gateway name: one call (GET) when this host knows its id ({@link VolumeIds})
     * and the object under that id still has the name, else two (queryIdByKey, GET), and the id is kept.
     */
    Optional<VolumeObj> byGatewayName(String gatewayName, ErrorContext ctx) {
        Optional<VolumeObj> found = ids.lookup(gatewayName).flatMap(id -> fetch(id, ctx)).filter(v -> gatewayName.equals(v.name()));
        if (found.isEmpty()) {
            found = idOf(gatewayName, ctx).flatMap(id -> fetch(id, ctx));
            found.ifPresentOrElse(v -> ids.remember(gatewayName, v.id()), () -> ids.forget(gatewayName));
        }
        found.ifPresent(v -> recent.set(new Recent(v.id(), v, System.nanoTime())));
        return found;
    }

    /** The volume (or snapshot) object; empty when it does not exist or is being removed. */
    Optional<VolumeObj> fetch(String id, ErrorContext ctx) {
        recent.remove();
        GatewayResponse r = client.get(ctx, "/api/instances/Volume::" + id);
        if (r.notFound() || r.message().contains("must be a hexadecimal number") || r.removalInProgress()) {
            return Optional.empty();
        }
        return Optional.of(client.read(ctx, ok(ctx, r), VolumeObj.class));
    }

    /**
     * The volume as this thread's lookup by name ({@link #byGatewayName}, which starts the core's mount and remove)
     * read it a moment ago, with no other read of a volume since, else read now. For the first read of a step whose decision the gateway checks again itself (an
     * exclusive map, a remove of a mapped volume): it spares the second GET of the same object in a row. Taken once.
     */
    Optional<VolumeObj> justReadOrFetch(String id, ErrorContext ctx) {
        Recent r = recent.get();
        recent.remove();
        if (r != null && r.id().equals(id) && System.nanoTime() - r.readAt() < REUSE_NANOS) {
            return Optional.of(r.volume());
        }
        return fetch(id, ctx);
    }

    VolumeObj existing(String id, ErrorContext ctx) {
        return fetch(id, ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
    }

    /** The volume as users see it; {@code knownName} (or {@code null}) spares a registry lookup. */
    Volume view(VolumeObj v, String knownName, ErrorContext ctx) {
        Optional<NameRegistry.Entry> note = registry.lookup(v.name());
        String name = knownName != null ? knownName : note.map(NameRegistry.Entry::name).orElse(v.name());
        VolumeSpec.Builder spec = VolumeSpec.builder().sizeBytes(v.sizeInKb() * 1024).fsType(Optional.empty());
        note.ifPresent(e -> {
            if (e.requestedSizeBytes() != null && allocatedKib(e.requestedSizeBytes()) == v.sizeInKb()) {
                spec.sizeBytes(e.requestedSizeBytes());
            }
            spec.fsType(Optional.ofNullable(e.fsType()));
            spec.mkfsOptions(e.mkfsOptions() == null ? List.of() : e.mkfsOptions());
            spec.mountOptions(e.mountOptions() == null ? List.of() : e.mountOptions());
            spec.accessMode(e.accessMode() == null ? AccessMode.SINGLE_HOST_READ_WRITE : e.accessMode());
            spec.labels(e.labels() == null ? Map.of() : e.labels());
        });
        if (v.ancestorVolumeId() != null && !NameRegistry.isSnapshotName(v.name())) {
            spec.sourceSnapshot(new SnapshotId(v.ancestorVolumeId()));
        }
        List<Attachment> atts = new ArrayList<>();
        for (MappedSdc m : v.mappings()) {
            atts.add(new Attachment(new VolumeId(v.id()), sdcs.hostOf(m.sdcId(), ctx), deviceToken(v.id(), ctx), AttachmentState.ATTACHED, null));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("gatewayName", String.valueOf(v.name()));
        fields.put("systemId", discovery.layout(ctx).systemId());
        fields.put("storagePoolId", String.valueOf(v.storagePoolId()));
        fields.put("vtreeId", String.valueOf(v.vtreeId()));
        fields.put("volumeType", String.valueOf(v.volumeType()));
        List<String> unknown = new ArrayList<>();
        if (knownName == null && note.isEmpty() && NameRegistry.isHashedName(v.name())) {
            unknown.add(VolumeStatus.NAME);
        }
        if (note.map(NameRegistry.Entry::requestedSizeBytes).filter(r -> allocatedKib(r) == v.sizeInKb()).isEmpty()) {
            unknown.add(VolumeStatus.REQUESTED_SIZE);
        }
        if (note.map(NameRegistry.Entry::fsType).isEmpty()) {
            unknown.add(VolumeStatus.FS_TYPE);
        }
        if (!unknown.isEmpty()) {
            // what only the creating host's registry knows: the integration layer fills in what its own record says
            fields.put(Volume.UNKNOWN_FIELD, String.join(",", unknown));
        }
        return new Volume(new VolumeId(v.id()), name, spec.build(), v.sizeInKb() * 1024, atts, fields,
                v.creationTime() == null ? null : Instant.ofEpochSecond(v.creationTime()), ScaleIoStorageDriver.NAME);
    }

    /** What the SDC's device link is named after: {@code emc-vol-<system>-<volume>}. */
    String deviceToken(String volumeId, ErrorContext ctx) {
        return discovery.layout(ctx).systemId() + "-" + volumeId;
    }

    Snapshot toSnapshot(VolumeObj s, String name) {
        return new Snapshot(new SnapshotId(s.id()), name, new VolumeId(s.ancestorVolumeId()), s.sizeInKb() * 1024,
                s.creationTime() == null ? null : Instant.ofEpochSecond(s.creationTime()));
    }

    List<HostId> hostsOf(VolumeObj v, ErrorContext ctx) {
        return v.mappings().stream().map(m -> sdcs.hostOf(m.sdcId(), ctx)).toList();
    }

    /** The context naming the volume as users know it: {@code name (id)}. */
    ErrorContext named(ErrorContext ctx, VolumeObj v) {
        String name = registry.lookup(v.name()).map(NameRegistry.Entry::name).orElse(v.name());
        return ctx.withVolume(name + " (" + v.id() + ")");
    }

    /** Sets the size (whole GiB of the 8 GiB granule) and reads the volume again. */
    VolumeObj resize(VolumeObj v, long kib, ErrorContext ctx) {
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + v.id() + "/action/setVolumeSize",
                Map.of("sizeInGB", Long.toString(kib / (1024 * 1024))));
        if (!r.ok()) {
            throw failure(ctx, r);
        }
        return existing(v.id(), ctx);
    }

    /** Removes a volume or snapshot object and waits, bounded, until the gateway no longer shows it. */
    void remove(String id, ErrorContext ctx) {
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + id + "/action/removeVolume", Map.of("removeMode", "ONLY_ME"));
        if (!r.ok() && !r.notFound() && !r.removalInProgress()) {
            if (r.errorCode() == 104) {
                throw new VolumeInUseException(ctx, "the gateway refuses to remove a mapped volume: " + r.describe());
            }
            throw failure(ctx, r);
        }
        long deadline = System.nanoTime() + settings.removalTimeout().toNanos();
        long pause = 50;
        while (true) {
            GatewayResponse g = client.get(ctx, "/api/instances/Volume::" + id);
            if (g.notFound()) {
                return;
            }
            if (!g.ok() && !g.removalInProgress()) {
                throw failure(ctx, g);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new OperationTimeoutException(ctx, "waiting for the gateway to finish removing volume " + id, settings.removalTimeout());
            }
            Sdcs.sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    static GatewayResponse ok(ErrorContext ctx, GatewayResponse r) {
        if (!r.ok()) {
            throw failure(ctx, r);
        }
        return r;
    }

    static StorageException failure(ErrorContext ctx, GatewayResponse r) {
        if (r.status() >= 500 && r.errorCode() <= 0) {
            return new BackendUnavailableException(ctx, "the gateway failed: " + r.describe(), true, null);
        }
        return new OperationFailedException(ctx, "the gateway refused: " + r.describe(), null);
    }
}
