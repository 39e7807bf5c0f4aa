package io.libstorage.scaleio.internal;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.scaleio.internal.GatewayModel.ProtectionDomainObj;
import io.libstorage.scaleio.internal.GatewayModel.SnapshotResult;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;
import io.libstorage.spi.support.SpecCompatibility;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates volumes (empty, or from a snapshot) in the configured pool or the one the options name;
 * a create of an existing name is a repeat when {@link SpecCompatibility} finds the specs compatible
 * and the volume lives in the requested pool.
 */
final class VolumeCreation {
    private static final Set<String> DRIVER_OPTIONS = Set.of("type", "availabilityzone", "thinorthick");

    private final GatewayClient client;
    private final GatewayVolumes volumes;
    private final NameRegistry registry;
    private final ScaleIoSettings settings;
    private final Discovery discovery;
    private final Map<String, String> poolIdsByName = new ConcurrentHashMap<>();

    VolumeCreation(GatewayClient client, GatewayVolumes volumes, NameRegistry registry, ScaleIoSettings settings, Discovery discovery) {
        this.client = client;
        this.volumes = volumes;
        this.registry = registry;
        this.settings = settings;
        this.discovery = discovery;
    }

    Volume create(String name, VolumeSpec spec, ErrorContext ctx) {
        VolumeNames.requireValid(name, ctx);
        NameRegistry.requireNotReserved(name, ctx);
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        String poolId = poolFor(spec, ctx);
        String volumeType = volumeTypeFor(spec, ctx);
        long kib = GatewayVolumes.allocatedKib(spec.sizeBytes());
        String gw = NameRegistry.gatewayName(name);
        NameRegistry.Entry entry = new NameRegistry.Entry(name, spec.sizeBytes(), spec.fsType().orElse(null), spec.mkfsOptions(),
                spec.mountOptions(), spec.accessMode(), spec.labels());
        SystemLayout layout = discovery.layout(ctx);
        GatewayResponse r;
        if (spec.sourceSnapshot().isPresent()) {
            r = client.post(ctx, "/api/instances/System::" + layout.systemId() + "/action/snapshotVolumes",
                    Map.of("snapshotDefs", List.of(Map.of("volumeId", spec.sourceSnapshot().get().value(), "snapshotName", gw))));
        } else {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", gw);
            body.put("volumeSizeInKb", Long.toString(kib));
            body.put("storagePoolId", poolId);
            body.put("protectionDomainId", layout.protectionDomainId());
            body.put("volumeType", volumeType);
            r = client.post(ctx, "/api/types/Volume/instances", body);
        }
        if (r.ok()) {
            String id = spec.sourceSnapshot().isPresent()
                    ? client.read(ctx, r, SnapshotResult.class).volumeIdList().get(0)
                    : client.read(ctx, r, IdBody.class).id();
            registry.remember(gw, entry, ctx);
            VolumeObj created = volumes.fetch(id, ctx).orElseThrow(() -> new OperationFailedException(ctx,
                    "the gateway created volume " + id + " but cannot find it", null));
            if (spec.sourceSnapshot().isPresent() && created.sizeInKb() < kib) {
                created = volumes.resize(created, kib, ctx);
            }
            return withSpec(volumes.view(created, name, ctx), spec);
        }
        if (r.errorCode() == 99 || r.message().startsWith("Volume name already in use")) {
            VolumeObj existing = volumes.idOf(gw, ctx).flatMap(id -> volumes.fetch(id, ctx)).orElseThrow(() -> new OperationFailedException(ctx,
                    "the gateway says the name " + gw + " is in use but cannot find it", null));
            requireCompatible(existing, spec, kib, poolId, ctx.withVolume(name + " (" + existing.id() + ")"));
            registry.remember(gw, entry, ctx);
            return withSpec(volumes.view(existing, name, ctx), spec);
        }
        if (r.notFound() && spec.sourceSnapshot().isPresent()) {
            throw new VolumeNotFoundException(ctx, "source snapshot " + spec.sourceSnapshot().get() + " does not exist (" + r.describe() + ")");
        }
        if (r.errorCode() == 226 || r.errorCode() == 227) {
            throw InvalidRequestException.invalidVolumeName(ctx, "the gateway refused the name " + gw + ": " + r.describe());
        }
        throw GatewayVolumes.failure(ctx, r);
    }

    /** {@link SpecCompatibility} over what this driver knows of the existing volume, plus its storage pool. */
    private void requireCompatible(VolumeObj existing, VolumeSpec spec, long kib, String poolId, ErrorContext ctx) {
        List<String> conflicts = new ArrayList<>(SpecCompatibility.conflicts(knownSpec(existing, spec, kib, ctx), spec));
        if (spec.sourceSnapshot().isEmpty() && !poolId.equals(existing.storagePoolId())) {
            conflicts.add("storage pool " + existing.storagePoolId() + " exists, " + poolId + " requested");
        }
        if (!conflicts.isEmpty()) {
            throw new VolumeSpecConflictException(ctx, String.join("; ", conflicts));
        }
    }

    /**
     * The existing volume's spec as far as this driver knows it. The gateway keeps only the allocated
     * size; the rest comes from the name registry of the host that created it. What is not known takes
     * the request's value, so that it never conflicts: the size of a clone (its snapshot's), the size
     * asked for when the allocation matches but nothing was noted, the access mode when nothing was noted.
     */
    private VolumeSpec knownSpec(VolumeObj existing, VolumeSpec spec, long kib, ErrorContext ctx) {
        VolumeSpec seen = volumes.view(existing, null, ctx).spec();
        NameRegistry.Entry note = registry.lookup(existing.name()).orElse(null);
        long size;
        if (spec.sourceSnapshot().isPresent()) {
            size = spec.sizeBytes();
        } else if (existing.sizeInKb() != kib) {
            size = existing.sizeInKb() * 1024;
        } else {
            size = note != null && note.requestedSizeBytes() != null ? note.requestedSizeBytes() : spec.sizeBytes();
        }
        return seen.toBuilder().sizeBytes(size)
                .accessMode(note != null && note.accessMode() != null ? note.accessMode() : spec.accessMode()).build();
    }

    private String poolFor(VolumeSpec spec, ErrorContext ctx) {
        for (String key : spec.driverOptions().keySet()) {
            if (!DRIVER_OPTIONS.contains(key.toLowerCase(Locale.ROOT))) {
                throw new InvalidRequestException(ctx, "unknown scaleio option '" + key + "'; known: type (storage pool name), "
                        + "availabilityZone (protection domain name), thinOrThick");
            }
        }
        String pool = option(spec, "type");
        String pd = option(spec, "availabilityZone");
        if (pool == null && pd == null) {
            return discovery.layout(ctx).storagePoolId();
        }
        String key = (pd == null ? "" : pd) + "/" + (pool == null ? "" : pool);
        return poolIdsByName.computeIfAbsent(key, k -> lookupPool(pd, pool, ctx));
    }

    private String lookupPool(String pdName, String poolName, ErrorContext ctx) {
        SystemLayout layout = discovery.layout(ctx);
        String pdId = layout.protectionDomainId();
        if (pdName != null) {
            pdId = client.readList(ctx, GatewayVolumes.ok(ctx, client.get(ctx, "/api/instances/System::" + layout.systemId()
                            + "/relationships/ProtectionDomain")), ProtectionDomainObj.class).stream().filter(p -> pdName.equals(p.name()))
                    .findFirst().orElseThrow(() -> new InvalidRequestException(ctx, "no protection domain '" + pdName + "' in system "
                            + layout.systemId())).id();
        }
        if (poolName == null) {
            throw new InvalidRequestException(ctx, "availabilityZone (protection domain) needs type (storage pool name) too");
        }
        String where = pdId;
        return SystemLayout.poolsOf(client, pdId, ctx).stream().filter(p -> poolName.equals(p.name())).findFirst()
                .orElseThrow(() -> new InvalidRequestException(ctx, "no storage pool '" + poolName + "' in protection domain " + where)).id();
    }

    private String volumeTypeFor(VolumeSpec spec, ErrorContext ctx) {
        String t = option(spec, "thinOrThick");
        if (t == null) {
            return settings.thinOrThick();
        }
        for (String allowed : List.of("ThinProvisioned", "ThickProvisioned")) {
            if (allowed.equalsIgnoreCase(t)) {
                return allowed;
            }
        }
        throw new InvalidRequestException(ctx, "thinOrThick must be ThinProvisioned or ThickProvisioned, not '" + t + "'");
    }

    private static String option(VolumeSpec spec, String key) {
        return spec.driverOptions().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static Volume withSpec(Volume v, VolumeSpec requested) {
        return new Volume(v.id(), v.name(), requested, v.allocatedSizeBytes(), v.attachments(), v.fields(), v.createdAt(), v.backend());
    }

    /** {@code {"id":"..."}}. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record IdBody(String id) {
    }
}
