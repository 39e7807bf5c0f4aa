package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.HostDevices;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ScaleIO / PowerFlex storage driver, over the classic REST gateway. Host identities are SDC
 * GUIDs. Starting makes no gateway call: system, protection domain, storage pool and this host's SDC are
 * resolved and validated at first need and kept for a bounded time under {@code stateDir} ({@link Discovery},
 * {@link Sdcs}); a missing one is a configuration error naming it. The
 * takeover primitives are {@link ScaleIoMapping}'s, creation {@link VolumeCreation}'s, snapshots and
 * growth {@link ScaleIoSnapshots}'.
 *
 * <p>Gateway calls per operation (counted by the emulator's request log, asserted by {@code ScaleIoCallCountIT} and {@code ScaleIoDriverTest}):
 * {@code findByName} 1 (GET) for a volume whose id this host knows ({@link VolumeIds}), else 2 (queryIdByKey + GET),
 * {@code inspect} 1, {@code list} 1 (the pool's volume relationship); an attach of an unmapped volume right after
 * its lookup 2 (addMappedSdc, GET), else 3; a detach 1; a remove right after its lookup 2 (removeVolume, GET).
 */
final class ScaleIoStorageDriver implements StorageDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleIoStorageDriver.class);
    static final String NAME = "scaleio";
    /** Writes of the name registry's small files take milliseconds; a temporary file this old has no live writer. */
    private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);

    private final ScaleIoSettings settings;
    private final GatewayClient client;
    private final NameRegistry registry;
    private final VolumeIds ids;
    private final OwnerSightings sightings;
    private final Discovery discovery;
    private final Clock clock;
    private final HostDevices hostDevices;
    private final Sdcs sdcs;
    private final GatewayVolumes volumes;
    private final VolumeCreation creation;
    private final ScaleIoSnapshots snapshots;
    private final ScaleIoHostSide hostSide;

    /** Makes no gateway call: what the gateway tells is asked at first need ({@link Discovery}, {@link Sdcs}). */
    private ScaleIoStorageDriver(ScaleIoSettings settings, GatewayClient client, ProcessRunner processes, Clock clock,
                                 HostDevices hostDevices) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.hostDevices = hostDevices;
        this.registry = new NameRegistry(settings.stateDir());
        this.ids = new VolumeIds(settings.stateDir());
        this.sightings = new OwnerSightings(settings.stateDir());
        ErrorContext ctx = ErrorContext.of("connect", null, null, NAME);
        String guid = settings.guid().orElseGet(() -> ScaleIoHostSide.queryGuid(settings, processes, ctx)).toUpperCase(Locale.ROOT);
        this.discovery = new Discovery(client, settings, clock);
        this.sdcs = new Sdcs(client, settings, clock, discovery, sightings, guid);
        this.volumes = new GatewayVolumes(client, registry, ids, sdcs, settings, discovery);
        this.creation = new VolumeCreation(client, volumes, registry, settings, discovery);
        this.snapshots = new ScaleIoSnapshots(client, volumes, registry, discovery);
        this.hostSide = new ScaleIoHostSide(settings, processes, new HostId(guid));
    }

    /** Connects; {@code hostDevices} tells whether this host has a volume's device mounted (the OS layer answers). */
    static ScaleIoStorageDriver connect(ScaleIoSettings settings, ProcessRunner processes, Clock clock, HostDevices hostDevices) {
        GatewayClient client = new GatewayClient(settings, clock);
        try {
            return new ScaleIoStorageDriver(settings, client, processes, clock, hostDevices);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

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

    /**
     * Deletes what killed writes of the driver's state left (the name registry, the kept ids, sightings and
     * discovery); the gateway's own state needs no repair here.
     */
    @Override
    public BackendReconcile reconcile() {
        List<String> actions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path dir : List.of(registry.directory(), ids.directory(), sightings.directory(), discovery.file().getParent())) {
            try {
                List<Path> deleted = dir.equals(registry.directory()) ? registry.deleteLeftovers(clock.instant(), STALE_TEMPORARY)
                        : AtomicFiles.deleteTemporariesOlderThan(dir, clock.instant().minus(STALE_TEMPORARY));
                deleted.forEach(p -> actions.add("deleted " + p + ", left by an interrupted write"));
            } catch (IOException e) {
                problems.add("cannot delete the leftovers of interrupted writes in " + dir + ": " + e.getMessage());
            }
        }
        return new BackendReconcile(actions, problems);
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        ErrorContext ctx = ctx("inspect", id.value());
        return volumes.fetch(id.value(), ctx).map(v -> volumes.view(v, null, ctx));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        ErrorContext ctx = ctx("inspect", name);
        if (!VolumeNames.isValid(name)) {
            return Optional.empty();
        }
        String gw = NameRegistry.gatewayName(name);
        return volumes.byGatewayName(gw, ctx).map(v -> {
            if (!gw.equals(name)) {
                registry.lookup(gw).ifPresentOrElse(e -> { }, () -> registry.remember(gw,
                        NameRegistry.Entry.nameOnly(name), ctx));
            }
            return volumes.view(v, name, ctx);
        });
    }

    /** One call: the pool's volume list, streamed; snapshots taken by this driver are not volumes. */
    @Override
    public List<Volume> list() {
        ErrorContext ctx = ctx("list", null);
        GatewayResponse r = GatewayVolumes.ok(ctx, client.get(ctx, "/api/instances/StoragePool::" + discovery.layout(ctx).storagePoolId()
                + "/relationships/Volume"));
        List<Volume> out = new ArrayList<>();
        try (JsonParser p = GatewayResponse.Json.MAPPER.createParser(r.body())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new BackendUnavailableException(ctx, "the gateway's volume list is not a JSON array", false, null);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                VolumeObj v = p.readValueAs(VolumeObj.class);
                if (v.name() != null && !NameRegistry.isSnapshotName(v.name())) {
                    out.add(volumes.view(v, null, ctx));
                }
            }
        } catch (IOException e) {
            throw new BackendUnavailableException(ctx, "cannot parse the gateway's volume list: " + e.getMessage(), false, e);
        }
        return out;
    }

    @Override
    public Volume create(String name, VolumeSpec spec) {
        Volume v = creation.create(name, spec, ctx("create", name));
        ids.remember(NameRegistry.gatewayName(name), v.id().value());
        return v;
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        ErrorContext plain = ctx("remove", id.value());
        Optional<VolumeObj> found = volumes.justReadOrFetch(id.value(), plain);
        if (found.isEmpty()) {
            if (options.strict()) {
                throw new VolumeNotFoundException(plain);
            }
            return;
        }
        VolumeObj v = found.get();
        ErrorContext ctx = volumes.named(plain, v);
        if (!v.mappings().isEmpty()) {
            if (!options.force()) {
                throw new VolumeInUseException(ctx, "mapped to " + volumes.hostsOf(v, ctx) + "; remove it with force to unmap it first");
            }
            refuseIfMountedHere(v.id(), ctx);
            GatewayResponse u = client.post(ctx, "/api/instances/Volume::" + v.id() + "/action/removeMappedSdc", Map.of("allSdcs", ""));
            if (!u.ok() && u.errorCode() != 84 && !u.notFound()) {
                throw GatewayVolumes.failure(ctx, u);
            }
        }
        volumes.remove(v.id(), ctx);
        registry.forget(v.name());
        ids.forget(v.name());
    }

    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return new ScaleIoMapping(client, volumes, sdcs, settings, clock, id.value(), target, ctx("attach", id.value()));
    }

    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        ErrorContext ctx = ctx("detach", id.value());
        if (host.equals(hostSide.localHost())) {
            refuseIfMountedHere(id.value(), ctx);
        }
        SdcObj sdc = sdcs.of(host, ctx);
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + id.value() + "/action/removeMappedSdc",
                Map.of("sdcId", sdc.id()));
        if (!r.ok() && r.errorCode() != 84 && !r.notFound()) {
            throw GatewayVolumes.failure(ctx, r);
        }
    }

    /**
     * An unmap pulls the device from under whatever uses it, so one this host has mounted is refused.
     * Only this host can be seen (through the OS layer's view): the gateway cannot tell what other SDCs use.
     */
    private void refuseIfMountedHere(String volumeId, ErrorContext ctx) {
        Attachment here = new Attachment(new VolumeId(volumeId), hostSide.localHost(), volumes.deviceToken(volumeId, ctx),
                AttachmentState.ATTACHED, null);
        Optional<Path> device = hostSide.findDevice(here);
        Optional<String> number = device.flatMap(d -> hostDevices.deviceNumber(ctx, d));
        if (number.isEmpty()) {
            return;
        }
        List<Path> at = hostDevices.mountsOf(ctx, number.get()).stream().map(MountEntry::mountPoint).toList();
        if (!at.isEmpty()) {
            throw new VolumeInUseException(ctx, "its device " + device.get() + " is mounted on this host at " + at
                    + "; unmount it first (a device is never unmapped from under a mounted filesystem)");
        }
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId host) {
        return sdcs.evidence(host, ctx("owner evidence", null), false);
    }

    @Override
    public Snapshot snapshot(VolumeId id, String snapshotName) {
        return snapshots.snapshot(id.value(), snapshotName, ctx("snapshot", id.value()));
    }

    @Override
    public List<Snapshot> snapshots(VolumeId id) {
        return snapshots.snapshots(id.value(), ctx("list snapshots", id.value()));
    }

    @Override
    public void removeSnapshot(SnapshotId id) {
        snapshots.removeSnapshot(id.value(), ctx("remove snapshot", id.value()));
    }

    @Override
    public Volume grow(VolumeId id, long newSizeBytes) {
        return snapshots.grow(id.value(), newSizeBytes, ctx("grow", id.value()));
    }

    @Override
    public void close() {
        client.close();
    }
}
