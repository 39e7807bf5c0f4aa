package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.libstorage.api.AccessMode;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.InvalidVolumeNameException;
import io.libstorage.api.Liveness;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Preemption;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.StorageException;
import io.libstorage.api.UnsafeMultiMappingException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.scaleio.internal.GatewayModel.MappedSdc;
import io.libstorage.scaleio.internal.GatewayModel.ProtectionDomainObj;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;
import io.libstorage.scaleio.internal.GatewayModel.SnapshotResult;
import io.libstorage.scaleio.internal.GatewayModel.StoragePoolObj;
import io.libstorage.scaleio.internal.GatewayModel.SystemObj;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.MountTable;
import io.libstorage.spi.support.Preemptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ScaleIO / PowerFlex storage driver, over the classic REST gateway. Host identities are SDC
 * GUIDs. System, protection domain, storage pool and this host's SDC are resolved and validated once,
 * at start; a missing one is a start-up error naming it.
 *
 * <p>Gateway calls per operation (counted by the emulator's request log): {@code findByName} 2
 * (queryIdByKey + GET), {@code inspect} 1, {@code list} 1 (the pool's volume relationship), an
 * attach of an unmapped volume 3 (GET, addMappedSdc, GET), a detach 1.
 */
final class ScaleIoStorageDriver implements StorageDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleIoStorageDriver.class);
    static final String NAME = "scaleio";
    private static final long GRANULE_KIB = 8L * 1024 * 1024;
    private static final Set<String> DRIVER_OPTIONS = Set.of("type", "availabilityzone", "thinorthick");
    /** Writes of the name registry's small files take milliseconds; a temporary file this old has no live writer. */
    private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);

    private final ScaleIoSettings settings;
    private final GatewayClient client;
    private final NameRegistry registry;
    private final Clock clock;
    private final String systemId;
    private final String protectionDomainId;
    private final String storagePoolId;
    private final SdcObj localSdc;
    private final ScaleIoHostSide hostSide;
    private final Map<String, SdcObj> sdcsById = new ConcurrentHashMap<>();
    private final Map<String, String> poolIdsByName = new ConcurrentHashMap<>();

    private ScaleIoStorageDriver(ScaleIoSettings settings, GatewayClient client, ProcessRunner processes, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.registry = new NameRegistry(settings.stateDir());
        ErrorContext ctx = ErrorContext.of("connect", null, null, NAME);
        client.ensureSession(ctx);
        SystemObj system = resolveSystem(ctx);
        this.systemId = system.id();
        ProtectionDomainObj pd = resolveProtectionDomain(ctx);
        this.protectionDomainId = pd.id();
        this.storagePoolId = resolvePool(ctx, pd);
        String guid = settings.guid().orElseGet(() -> ScaleIoHostSide.queryGuid(settings, processes, ctx));
        this.localSdc = resolveLocalSdc(ctx, guid);
        this.hostSide = new ScaleIoHostSide(settings, processes, new HostId(localSdc.sdcGuid().toUpperCase(Locale.ROOT)));
        LOG.info("scaleio: gateway {} API {}, system {} ({}), protection domain {}, pool {}, this host's SDC {} ({})",
                settings.endpoint(), client.apiVersion(), system.name(), systemId, pd.name(), storagePoolId, localSdc.id(),
                localSdc.sdcGuid());
    }

    static ScaleIoStorageDriver connect(ScaleIoSettings settings, ProcessRunner processes, Clock clock) {
        GatewayClient client = new GatewayClient(settings);
        try {
            return new ScaleIoStorageDriver(settings, client, processes, clock);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    // --------------------------------------------------------------------- start-up resolution

    private SystemObj resolveSystem(ErrorContext ctx) {
        List<SystemObj> systems = client.readList(ctx, ok(ctx, client.get(ctx, "/api/types/System/instances")), SystemObj.class);
        return choose("system", "systemID", "systemName", settings.systemId(), settings.systemName(), "on the gateway",
                systems, SystemObj::id, SystemObj::name);
    }

    private ProtectionDomainObj resolveProtectionDomain(ErrorContext ctx) {
        List<ProtectionDomainObj> pds = client.readList(ctx,
                ok(ctx, client.get(ctx, "/api/instances/System::" + systemId + "/relationships/ProtectionDomain")), ProtectionDomainObj.class);
        return choose("protection domain", "protectionDomainID", "protectionDomainName", settings.protectionDomainId(),
                settings.protectionDomainName(), "in system " + systemId, pds, ProtectionDomainObj::id, ProtectionDomainObj::name);
    }

    private String resolvePool(ErrorContext ctx, ProtectionDomainObj pd) {
        return choose("storage pool", "storagePoolID", "storagePoolName", settings.storagePoolId(), settings.storagePoolName(),
                "in protection domain " + pd.name(), poolsOf(ctx, pd.id()), StoragePoolObj::id, StoragePoolObj::name).id();
    }

    /**
     * The object that {@code id} and {@code name} (keys {@code idKey}, {@code nameKey}) denote among {@code candidates}:
     * by id, and when a name is given too it must be that object's name; else the one object with that name; with
     * neither, the only candidate (REX-Ray users leave the system out when the gateway manages one). Anything else is a
     * configuration error naming the key and listing what {@code where} holds.
     */
    private static <T> T choose(String kind, String idKey, String nameKey, Optional<String> id, Optional<String> name, String where,
                                List<T> candidates, Function<T, String> idOf, Function<T, String> nameOf) {
        Function<T, String> shown = o -> (nameOf.apply(o) == null ? "(unnamed)" : nameOf.apply(o)) + " (" + idOf.apply(o) + ")";
        String inventory = candidates.isEmpty() ? "none" : candidates.stream().map(shown).collect(Collectors.joining(", "));
        if (id.isPresent()) {
            T found = candidates.stream().filter(o -> id.get().equalsIgnoreCase(idOf.apply(o))).findFirst()
                    .orElseThrow(() -> config(idKey, "no " + kind + " with id " + id.get() + " " + where + "; " + where + " there are: " + inventory));
            if (name.isPresent() && !name.get().equals(nameOf.apply(found))) {
                throw config(idKey, id.get() + " is the " + kind + " " + shown.apply(found) + ", but scaleio." + nameKey + " is '"
                        + name.get() + "'; give one of them, or two that name the same " + kind);
            }
            return found;
        }
        if (name.isPresent()) {
            List<T> named = candidates.stream().filter(o -> name.get().equals(nameOf.apply(o))).toList();
            if (named.size() > 1) {
                throw config(nameKey, named.size() + " " + kind + "s are named '" + name.get() + "' " + where + ": "
                        + named.stream().map(shown).collect(Collectors.joining(", ")) + "; set scaleio." + idKey + " instead");
            }
            if (named.isEmpty()) {
                throw config(nameKey, "no " + kind + " named '" + name.get() + "' " + where + "; " + where + " there are: " + inventory);
            }
            return named.get(0);
        }
        if (candidates.size() != 1) {
            throw config(nameKey, "not set, and " + (candidates.isEmpty() ? "there is no " + kind + " " + where
                    : "there are " + candidates.size() + " " + kind + "s " + where + ": " + inventory)
                    + "; set scaleio." + nameKey + " or scaleio." + idKey);
        }
        LOG.info("scaleio: neither scaleio.{} nor scaleio.{} is set; using the only {} {}: {}", idKey, nameKey, kind, where,
                shown.apply(candidates.get(0)));
        return candidates.get(0);
    }

    private List<StoragePoolObj> poolsOf(ErrorContext ctx, String pdId) {
        return client.readList(ctx, ok(ctx, client.get(ctx, "/api/instances/ProtectionDomain::" + pdId + "/relationships/StoragePool")),
                StoragePoolObj.class);
    }

    private SdcObj resolveLocalSdc(ErrorContext ctx, String guid) {
        SdcObj sdc = refreshSdcs(ctx).stream().filter(s -> guid.equalsIgnoreCase(s.sdcGuid())).findFirst()
                .orElseThrow(() -> config("guid", "SDC GUID " + guid + " is not registered with system " + systemId
                        + " (from " + (settings.guid().isPresent() ? "scaleio.guid" : settings.drvCfg() + " --query_guid") + ")"));
        if (!sdc.connected()) {
            throw new BackendUnavailableException(ctx.withHost(guid), "this host's SDC " + guid + " (" + sdc.id()
                    + ") is " + sdc.mdmConnectionState() + " from the MDM of system " + systemId
                    + "; volumes mapped to it would never appear", true, null);
        }
        return sdc;
    }

    private static InvalidConfigurationException config(String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("connect", null, null, NAME), ScaleIoSettings.SECTION + "." + key, problem);
    }

    // --------------------------------------------------------------------- SDCs (host identities)

    private List<SdcObj> refreshSdcs(ErrorContext ctx) {
        List<SdcObj> all = client.readList(ctx, ok(ctx, client.get(ctx, "/api/instances/System::" + systemId + "/relationships/Sdc")),
                SdcObj.class);
        all.forEach(s -> sdcsById.put(s.id(), s));
        return all;
    }

    private SdcObj sdcForHost(HostId host, ErrorContext ctx) {
        if (localSdc != null && host.value().equalsIgnoreCase(localSdc.sdcGuid())) {
            return localSdc;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (SdcObj s : pass == 0 ? List.copyOf(sdcsById.values()) : refreshSdcs(ctx)) {
                if (host.value().equalsIgnoreCase(s.sdcGuid())) {
                    return s;
                }
            }
        }
        throw new InvalidRequestException(ctx, "host " + host + " is not an SDC GUID registered with system " + systemId);
    }

    private HostId hostOfSdc(String sdcId, ErrorContext ctx) {
        SdcObj s = sdcsById.get(sdcId);
        if (s == null) {
            refreshSdcs(ctx);
            s = sdcsById.get(sdcId);
        }
        return new HostId(s == null || s.sdcGuid() == null ? "sdc:" + sdcId : s.sdcGuid().toUpperCase(Locale.ROOT));
    }

    // --------------------------------------------------------------------- StorageDriver

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.SNAPSHOTS, Feature.CREATE_FROM_SNAPSHOT, Feature.GROW, Feature.REMOTE_ATTACH,
                Feature.OWNER_LIVENESS, Feature.MULTI_HOST_ACCESS);
    }

    @Override
    public HostSide hostSide() {
        return hostSide;
    }

    private ErrorContext ctx(String operation, String volume) {
        return ErrorContext.of(operation, volume, hostSide.localHost().value(), NAME);
    }

    /** Deletes what killed writes of the name registry left; the gateway's own state needs no repair here. */
    @Override
    public BackendReconcile reconcile() {
        try {
            return new BackendReconcile(registry.deleteLeftovers(clock.instant(), STALE_TEMPORARY).stream()
                    .map(p -> "deleted " + p + ", left by an interrupted write").toList(), List.of());
        } catch (IOException e) {
            return new BackendReconcile(List.of(), List.of("cannot delete the leftovers of interrupted writes in "
                    + registry.directory() + ": " + e.getMessage()));
        }
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        ErrorContext ctx = ctx("inspect", id.value());
        return fetch(id.value(), ctx).map(v -> view(v, null, ctx));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        ErrorContext ctx = ctx("inspect", name);
        if (!VolumeNames.isValid(name)) {
            return Optional.empty();
        }
        String gw = NameRegistry.gatewayName(name);
        return idOf(gw, ctx).flatMap(id -> fetch(id, ctx)).map(v -> {
            if (!gw.equals(name)) {
                registry.lookup(gw).ifPresentOrElse(e -> { }, () -> registry.remember(gw,
                        NameRegistry.Entry.nameOnly(name), ctx));
            }
            return view(v, name, ctx);
        });
    }

    /** One call: the pool's volume list, streamed; snapshots taken by this driver are not volumes. */
    @Override
    public List<Volume> list() {
        ErrorContext ctx = ctx("list", null);
        GatewayResponse r = ok(ctx, client.get(ctx, "/api/instances/StoragePool::" + storagePoolId + "/relationships/Volume"));
        List<Volume> out = new ArrayList<>();
        try (JsonParser p = GatewayResponse.Json.MAPPER.createParser(r.body())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new BackendUnavailableException(ctx, "the gateway's volume list is not a JSON array", false, null);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                VolumeObj v = p.readValueAs(VolumeObj.class);
                if (v.name() != null && !NameRegistry.isSnapshotName(v.name())) {
                    out.add(view(v, null, ctx));
                }
            }
        } catch (IOException e) {
            throw new BackendUnavailableException(ctx, "cannot parse the gateway's volume list: " + e.getMessage(), false, e);
        }
        return out;
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        ErrorContext ctx = ctx("create", name);
        VolumeNames.requireValid(name, ctx);
        NameRegistry.requireNotReserved(name, ctx);
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        String poolId = poolFor(spec, ctx);
        String volumeType = volumeTypeFor(spec, ctx);
        long kib = allocatedKib(spec.sizeBytes());
        String gw = NameRegistry.gatewayName(name);
        NameRegistry.Entry entry = new NameRegistry.Entry(name, spec.sizeBytes(), spec.fsType(), spec.mkfsOptions(),
                spec.mountOptions(), spec.accessMode(), spec.labels());
        GatewayResponse r;
        if (spec.sourceSnapshot().isPresent()) {
            r = client.post(ctx, "/api/instances/System::" + systemId + "/action/snapshotVolumes",
                    Map.of("snapshotDefs", List.of(Map.of("volumeId", spec.sourceSnapshot().get().value(), "snapshotName", gw))));
        } else {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", gw);
            body.put("volumeSizeInKb", Long.toString(kib));
            body.put("storagePoolId", poolId);
            body.put("protectionDomainId", protectionDomainId);
            body.put("volumeType", volumeType);
            r = client.post(ctx, "/api/types/Volume/instances", body);
        }
        if (r.ok()) {
            String id = spec.sourceSnapshot().isPresent()
                    ? client.read(ctx, r, SnapshotResult.class).volumeIdList().get(0)
                    : client.read(ctx, r, IdBody.class).id();
            registry.remember(gw, entry, ctx);
            VolumeObj created = fetch(id, ctx).orElseThrow(() -> new OperationFailedException(ctx,
                    "the gateway created volume " + id + " but cannot find it", null));
            if (spec.sourceSnapshot().isPresent() && created.sizeInKb() < kib) {
                created = resize(created, kib, ctx);
            }
            return withSpec(view(created, name, ctx), spec);
        }
        if (r.errorCode() == 99 || r.message().startsWith("Volume name already in use")) {
            VolumeObj existing = idOf(gw, ctx).flatMap(id -> fetch(id, ctx)).orElseThrow(() -> new OperationFailedException(ctx,
                    "the gateway says the name " + gw + " is in use but cannot find it", null));
            checkCompatible(existing, spec, kib, poolId, ctx.withVolume(name + " (" + existing.id() + ")"));
            registry.remember(gw, entry, ctx);
            return withSpec(view(existing, name, ctx), spec);
        }
        if (r.notFound() && spec.sourceSnapshot().isPresent()) {
            throw new VolumeNotFoundException(ctx, "source snapshot " + spec.sourceSnapshot().get() + " does not exist (" + r.describe() + ")");
        }
        if (r.errorCode() == 226 || r.errorCode() == 227) {
            throw new InvalidVolumeNameException(ctx, "the gateway refused the name " + gw + ": " + r.describe());
        }
        throw failure(ctx, r);
    }

    private void checkCompatible(VolumeObj existing, VolumeSpec spec, long kib, String poolId, ErrorContext ctx) {
        List<String> conflicts = new ArrayList<>();
        if (spec.sourceSnapshot().isEmpty() && existing.sizeInKb() != kib) {
            conflicts.add("size " + existing.sizeInKb() * 1024 + " bytes allocated exists, " + spec.sizeBytes() + " bytes requested (allocated "
                    + kib * 1024 + ")");
        }
        if (spec.sourceSnapshot().isEmpty() && !poolId.equals(existing.storagePoolId())) {
            conflicts.add("storage pool " + existing.storagePoolId() + " exists, " + poolId + " requested");
        }
        if (spec.sourceSnapshot().isPresent() && !spec.sourceSnapshot().get().value().equals(existing.ancestorVolumeId())) {
            conflicts.add("source " + existing.ancestorVolumeId() + " exists, " + spec.sourceSnapshot().get() + " requested");
        }
        registry.lookup(existing.name()).ifPresent(e -> {
            if (spec.sourceSnapshot().isEmpty() && e.requestedSizeBytes() != null && e.requestedSizeBytes() != spec.sizeBytes()) {
                conflicts.add("size " + e.requestedSizeBytes() + " bytes requested at create, " + spec.sizeBytes() + " bytes requested now");
            }
            if (e.fsType() != null && spec.fsType() != null && !e.fsType().equals(spec.fsType())) {
                conflicts.add("fsType " + e.fsType() + " exists, " + spec.fsType() + " requested");
            }
            if (e.accessMode() != null && e.accessMode() != spec.accessMode()) {
                conflicts.add("accessMode " + e.accessMode() + " exists, " + spec.accessMode() + " requested");
            }
        });
        if (!conflicts.isEmpty()) {
            throw new VolumeSpecConflictException(ctx, String.join("; ", conflicts));
        }
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
            return storagePoolId;
        }
        String key = (pd == null ? "" : pd) + "/" + (pool == null ? "" : pool);
        return poolIdsByName.computeIfAbsent(key, k -> lookupPool(pd, pool, ctx));
    }

    private String lookupPool(String pdName, String poolName, ErrorContext ctx) {
        String pdId = protectionDomainId;
        if (pdName != null) {
            pdId = client.readList(ctx, ok(ctx, client.get(ctx, "/api/instances/System::" + systemId + "/relationships/ProtectionDomain")),
                            ProtectionDomainObj.class).stream().filter(p -> pdName.equals(p.name())).findFirst()
                    .orElseThrow(() -> new InvalidRequestException(ctx, "no protection domain '" + pdName + "' in system " + systemId)).id();
        }
        if (poolName == null) {
            throw new InvalidRequestException(ctx, "availabilityZone (protection domain) needs type (storage pool name) too");
        }
        String where = pdId;
        return poolsOf(ctx, pdId).stream().filter(p -> poolName.equals(p.name())).findFirst()
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

    /** Bytes to KiB, rounded up to the 8 GiB granule (minimum 8 GiB), as the gateway allocates. */
    static long allocatedKib(long bytes) {
        long kib = Math.max(1, (bytes + 1023) / 1024);
        return ByteSizes.roundUp(kib, GRANULE_KIB);
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        ErrorContext plain = ctx("remove", id.value());
        Optional<VolumeObj> found = fetch(id.value(), plain);
        if (found.isEmpty()) {
            if (options.strict()) {
                throw new VolumeNotFoundException(plain);
            }
            return;
        }
        VolumeObj v = found.get();
        ErrorContext ctx = named(plain, v);
        if (!v.mappings().isEmpty()) {
            if (!options.force()) {
                throw new VolumeInUseException(ctx, "mapped to " + hostsOf(v, ctx) + "; remove it with force to unmap it first");
            }
            refuseIfMountedHere(v.id(), ctx);
            GatewayResponse u = client.post(ctx, "/api/instances/Volume::" + v.id() + "/action/removeMappedSdc", Map.of("allSdcs", ""));
            if (!u.ok() && u.errorCode() != 84 && !u.notFound()) {
                throw failure(ctx, u);
            }
        }
        removeVolumeObject(v.id(), ctx);
        registry.forget(v.name());
    }

    private void removeVolumeObject(String id, ErrorContext ctx) {
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
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    @Override
    public AttachResult attach(VolumeId id, HostId host, io.libstorage.api.AttachOptions options) {
        ErrorContext plain = ctx("attach", id.value());
        SdcObj target = sdcForHost(host, plain);
        VolumeObj v = fetch(id.value(), plain).orElseThrow(() -> new VolumeNotFoundException(plain));
        ErrorContext ctx = named(plain, v);
        Volume view = view(v, null, ctx);
        boolean single = !view.spec().accessMode().allowsMultipleHosts();
        boolean mappedHere = v.mappings().stream().anyMatch(m -> target.id().equals(m.sdcId()));
        if (single && v.mappings().size() > 1) {
            throw new UnsafeMultiMappingException(ctx, "the single-writer volume is mapped to several SDCs " + hostsOf(v, ctx)
                    + "; refusing to use it until only one mapping is left");
        }
        if (mappedHere) {
            return new AttachResult(view, view.attachmentTo(host).orElseThrow(), Optional.empty(), false);
        }
        List<Preemption> preemptions = Preemptions.authorize(ctx, view, host, options,
                owner -> evidence(owner, ctx, true), settings.ownerGracePeriod(), clock);
        for (Preemption p : preemptions) {
            fence(v.id(), sdcForHost(p.from(), ctx), ctx);
        }
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + v.id() + "/action/addMappedSdc",
                Map.of("sdcId", target.id(), "allowMultipleMappings", single ? "FALSE" : "TRUE"));
        if (!r.ok() && r.errorCode() != 81) {
            if (r.errorCode() == 297 || r.errorCode() == 315) {
                VolumeObj now = fetch(v.id(), ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
                List<HostId> owners = hostsOf(now, ctx).stream().filter(h -> !h.equals(host)).toList();
                throw new VolumeAttachedToOtherHostException(ctx, owners, options.preemption());
            }
            throw failure(ctx, r);
        }
        VolumeObj after = fetch(v.id(), ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
        Volume afterView = view(after, view.name(), ctx);
        Attachment mine = afterView.attachmentTo(host).orElseThrow(() -> new OperationFailedException(ctx,
                "the gateway acknowledged the map to SDC " + target.id() + " but does not show it", null));
        return new AttachResult(afterView, mine, preemptions.stream().findFirst(), true);
    }

    /** Unmap the owner's SDC, then re-read: only a confirmed unmap lets the attach continue. */
    private void fence(String volumeId, SdcObj owner, ErrorContext ctx) {
        try {
            GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + volumeId + "/action/removeMappedSdc",
                    Map.of("sdcId", owner.id()));
            if (!r.ok() && r.errorCode() != 84) {
                throw new FencingUnavailableException(ctx, "unmapping the volume from SDC " + owner.sdcGuid() + " failed: " + r.describe(), null);
            }
            VolumeObj now = fetch(volumeId, ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
            if (now.mappings().stream().anyMatch(m -> owner.id().equals(m.sdcId()))) {
                throw new FencingUnavailableException(ctx, "the gateway acknowledged the unmap from SDC " + owner.sdcGuid()
                        + " but still maps the volume there", null);
            }
        } catch (BackendUnavailableException e) {
            throw new FencingUnavailableException(ctx, "the gateway could not fence SDC " + owner.sdcGuid() + ": " + e.detail(), e);
        }
    }

    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        ErrorContext ctx = ctx("detach", id.value());
        if (host.equals(hostSide.localHost())) {
            refuseIfMountedHere(id.value(), ctx);
        }
        SdcObj sdc = sdcForHost(host, ctx);
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + id.value() + "/action/removeMappedSdc",
                Map.of("sdcId", sdc.id()));
        if (!r.ok() && r.errorCode() != 84 && !r.notFound()) {
            throw failure(ctx, r);
        }
    }

    /**
     * An unmap pulls the device from under whatever uses it, so one this host has mounted is refused.
     * Only this host's mount table can be seen: the gateway cannot tell what other SDCs use.
     */
    private void refuseIfMountedHere(String volumeId, ErrorContext ctx) {
        Attachment here = new Attachment(new VolumeId(volumeId), hostSide.localHost(), systemId + "-" + volumeId,
                AttachmentState.ATTACHED, null);
        Optional<Path> device = hostSide.findDevice(here);
        if (device.isEmpty()) {
            return;
        }
        List<Path> at;
        try {
            Optional<String> number = MountTable.blockDeviceNumber(device.get());
            if (number.isEmpty()) {
                return;
            }
            at = MountTable.read().stream().filter(m -> m.deviceNumber().equals(number.get())).map(MountEntry::mountPoint).toList();
        } catch (IOException | IllegalArgumentException e) {
            throw new OperationFailedException(ctx, "cannot tell whether " + device.get() + " is mounted: " + e.getMessage(), e);
        }
        if (!at.isEmpty()) {
            throw new VolumeInUseException(ctx, "its device " + device.get() + " is mounted on this host at " + at
                    + "; unmount it first (a device is never unmapped from under a mounted filesystem)");
        }
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId host) {
        return evidence(host, ctx("owner evidence", null), false);
    }

    /**
     * What the MDM says about an SDC. With {@code confirm}, a Disconnected state is read again after
     * the grace period and counts only if it held.
     */
    private OwnerEvidence evidence(HostId host, ErrorContext ctx, boolean confirm) {
        SdcObj sdc = sdcForHost(host, ctx);
        Instant first = clock.instant();
        SdcObj now = client.read(ctx, ok(ctx, client.get(ctx, "/api/instances/Sdc::" + sdc.id())), SdcObj.class);
        if (now.connected()) {
            return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState");
        }
        if (!"Disconnected".equalsIgnoreCase(now.mdmConnectionState())) {
            return new OwnerEvidence(host, Liveness.UNKNOWN, null, "scaleio:mdmConnectionState=" + now.mdmConnectionState());
        }
        if (confirm && !settings.ownerGracePeriod().isZero()) {
            sleep(settings.ownerGracePeriod().toMillis());
            SdcObj again = client.read(ctx, ok(ctx, client.get(ctx, "/api/instances/Sdc::" + sdc.id())), SdcObj.class);
            if (!"Disconnected".equalsIgnoreCase(again.mdmConnectionState())) {
                return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState (reconnected within the grace period)");
            }
        }
        return new OwnerEvidence(host, Liveness.DISCONNECTED, first, "scaleio:mdmConnectionState");
    }

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        ErrorContext plain = ctx("snapshot", id.value());
        VolumeObj v = fetch(id.value(), plain).orElseThrow(() -> new VolumeNotFoundException(plain));
        ErrorContext ctx = named(plain, v);
        String gw = NameRegistry.snapshotGatewayName(v.id(), snapshotName);
        Optional<VolumeObj> existing = idOf(gw, ctx).flatMap(sid -> fetch(sid, ctx));
        if (existing.isEmpty()) {
            GatewayResponse r = client.post(ctx, "/api/instances/System::" + systemId + "/action/snapshotVolumes",
                    Map.of("snapshotDefs", List.of(Map.of("volumeId", v.id(), "snapshotName", gw))));
            if (!r.ok() && r.errorCode() != 99) {
                throw failure(ctx, r);
            }
            registry.remember(gw, NameRegistry.Entry.nameOnly(snapshotName), ctx);
            existing = idOf(gw, ctx).flatMap(sid -> fetch(sid, ctx));
        }
        VolumeObj s = existing.orElseThrow(() -> new OperationFailedException(ctx, "the gateway took snapshot " + gw + " but cannot find it", null));
        return toSnapshot(s, snapshotName);
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        ErrorContext ctx = ctx("list snapshots", id.value());
        VolumeObj v = fetch(id.value(), ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
        List<VolumeObj> tree = client.readList(ctx, ok(ctx, client.get(ctx, "/api/instances/VTree::" + v.vtreeId() + "/relationships/Volume")),
                VolumeObj.class);
        return tree.stream().filter(s -> v.id().equals(s.ancestorVolumeId()) && NameRegistry.isSnapshotName(s.name()))
                .map(s -> toSnapshot(s, registry.lookup(s.name()).map(NameRegistry.Entry::name).orElse(s.name()))).toList();
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        ErrorContext ctx = ctx("remove snapshot", id.value());
        Optional<VolumeObj> s = fetch(id.value(), ctx);
        if (s.isEmpty()) {
            return;
        }
        removeVolumeObject(id.value(), ctx);
        registry.forget(s.get().name());
    }

    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        ErrorContext plain = ctx("grow", id.value());
        ByteSizes.requireVolumeSize(newSizeBytes, plain);
        VolumeObj v = fetch(id.value(), plain).orElseThrow(() -> new VolumeNotFoundException(plain));
        ErrorContext ctx = named(plain, v);
        long kib = allocatedKib(newSizeBytes);
        return view(kib <= v.sizeInKb() ? v : resize(v, kib, ctx), null, ctx);
    }

    private VolumeObj resize(VolumeObj v, long kib, ErrorContext ctx) {
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + v.id() + "/action/setVolumeSize",
                Map.of("sizeInGB", Long.toString(kib / (1024 * 1024))));
        if (!r.ok()) {
            throw failure(ctx, r);
        }
        return fetch(v.id(), ctx).orElseThrow(() -> new VolumeNotFoundException(ctx));
    }

    @Override
    public void close() {
        client.close();
    }

    // --------------------------------------------------------------------- helpers

    private Optional<String> idOf(String gatewayName, ErrorContext ctx) {
        GatewayResponse r = client.post(ctx, "/api/types/Volume/instances/action/queryIdByKey", Map.of("name", gatewayName));
        if (r.notFound()) {
            return Optional.empty();
        }
        return Optional.of(GatewayClient.unquote(ok(ctx, r)));
    }

    private Optional<VolumeObj> fetch(String id, ErrorContext ctx) {
        GatewayResponse r = client.get(ctx, "/api/instances/Volume::" + id);
        if (r.notFound() || r.message().contains("must be a hexadecimal number") || r.removalInProgress()) {
            return Optional.empty();
        }
        return Optional.of(client.read(ctx, ok(ctx, r), VolumeObj.class));
    }

    private Volume view(VolumeObj v, String knownName, ErrorContext ctx) {
        Optional<NameRegistry.Entry> note = registry.lookup(v.name());
        String name = knownName != null ? knownName : note.map(NameRegistry.Entry::name).orElse(v.name());
        VolumeSpec.Builder spec = VolumeSpec.builder().sizeBytes(v.sizeInKb() * 1024).fsType(null);
        note.ifPresent(e -> {
            if (e.requestedSizeBytes() != null && allocatedKib(e.requestedSizeBytes()) == v.sizeInKb()) {
                spec.sizeBytes(e.requestedSizeBytes());
            }
            spec.fsType(e.fsType());
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
            atts.add(new Attachment(new VolumeId(v.id()), hostOfSdc(m.sdcId(), ctx), systemId + "-" + v.id(), AttachmentState.ATTACHED, null));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("gatewayName", String.valueOf(v.name()));
        fields.put("systemId", systemId);
        fields.put("storagePoolId", String.valueOf(v.storagePoolId()));
        fields.put("vtreeId", String.valueOf(v.vtreeId()));
        fields.put("volumeType", String.valueOf(v.volumeType()));
        return new Volume(new VolumeId(v.id()), name, spec.build(), v.sizeInKb() * 1024, atts, fields,
                v.creationTime() == null ? null : Instant.ofEpochSecond(v.creationTime()), NAME);
    }

    private static Volume withSpec(Volume v, VolumeSpec requested) {
        return new Volume(v.id(), v.name(), requested, v.allocatedSizeBytes(), v.attachments(), v.fields(), v.createdAt(), v.backend());
    }

    private Snapshot toSnapshot(VolumeObj s, String name) {
        return new Snapshot(new SnapshotId(s.id()), name, new VolumeId(s.ancestorVolumeId()), s.sizeInKb() * 1024,
                s.creationTime() == null ? null : Instant.ofEpochSecond(s.creationTime()));
    }

    private List<HostId> hostsOf(VolumeObj v, ErrorContext ctx) {
        return v.mappings().stream().map(m -> hostOfSdc(m.sdcId(), ctx)).toList();
    }

    private ErrorContext named(ErrorContext ctx, VolumeObj v) {
        String name = registry.lookup(v.name()).map(NameRegistry.Entry::name).orElse(v.name());
        return ctx.withVolume(name + " (" + v.id() + ")");
    }

    private static GatewayResponse ok(ErrorContext ctx, GatewayResponse r) {
        if (!r.ok()) {
            throw failure(ctx, r);
        }
        return r;
    }

    private static StorageException failure(ErrorContext ctx, GatewayResponse r) {
        if (r.status() >= 500 && r.errorCode() <= 0) {
            return new BackendUnavailableException(ctx, "the gateway failed: " + r.describe(), true, null);
        }
        return new OperationFailedException(ctx, "the gateway refused: " + r.describe(), null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code {"id":"..."}}. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record IdBody(String id) {
    }
}
