package io.libstorage.scaleio.internal;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts as the gateway knows them: SDCs, identified by their GUID (upper-cased). Maps GUIDs to SDC ids and back
 * from the system's SDC table ({@link Discovery}'s copy while fresh, read again when a host or id is not in it),
 * resolves this host's SDC at first need (it must be registered and connected), and says what the MDM reports about
 * an SDC's connection, the evidence of a pre-emption, with the first sighting of a disconnection kept across
 * restarts ({@link OwnerSightings}).
 */
final class Sdcs {
    private final GatewayClient client;
    private final ScaleIoSettings settings;
    private final Clock clock;
    private final Discovery discovery;
    private final OwnerSightings sightings;
    private final String localGuid;
    private final Map<String, SdcObj> byId = new ConcurrentHashMap<>();
    private volatile boolean savedLoaded;
    private volatile SdcObj local;

    Sdcs(GatewayClient client, ScaleIoSettings settings, Clock clock, Discovery discovery, OwnerSightings sightings, String localGuid) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.discovery = discovery;
        this.sightings = sightings;
        this.localGuid = localGuid;
    }

    /**
     * This host's SDC; it must be registered and connected, or volumes mapped to it would never appear. Taken from the
     * kept SDC table when it showed it connected, else read from the gateway.
     */
    SdcObj local(ErrorContext ctx) {
        SdcObj mine = local;
        if (mine != null) {
            return mine;
        }
        loadSaved();
        SdcObj kept = byId.values().stream().filter(s -> s.isSdc() && localGuid.equalsIgnoreCase(s.sdcGuid()) && s.connected()).findFirst().orElse(null);
        if (kept != null) {
            local = kept;
            return kept;
        }
        String systemId = discovery.layout(ctx).systemId();
        SdcObj sdc = refresh(ctx).stream().filter(s -> s.isSdc() && localGuid.equalsIgnoreCase(s.sdcGuid())).findFirst()
                .orElseThrow(() -> SystemLayout.config("guid", "SDC GUID " + localGuid + " is not registered with system " + systemId
                        + " (from " + (settings.guid().isPresent() ? "scaleio.guid" : settings.drvCfg() + " --query_guid") + ")"));
        if (!sdc.connected()) {
            throw new BackendUnavailableException(ctx.withHost(localGuid), "this host's SDC " + localGuid + " (" + sdc.id()
                    + ") is " + sdc.mdmConnectionState() + " from the MDM of system " + systemId
                    + "; volumes mapped to it would never appear", true, null);
        }
        local = sdc;
        return sdc;
    }

    private void loadSaved() {
        if (!savedLoaded) {
            discovery.savedSdcs().ifPresent(all -> all.forEach(s -> byId.putIfAbsent(s.id(), s)));
            savedLoaded = true;
        }
    }

    private List<SdcObj> refresh(ErrorContext ctx) {
        String systemId = discovery.layout(ctx).systemId();
        List<SdcObj> all = client.readList(ctx, GatewayVolumes.ok(ctx,
                client.get(ctx, "/api/instances/System::" + systemId + "/relationships/Sdc")), SdcObj.class);
        all.forEach(s -> byId.put(s.id(), s));
        discovery.saveSdcs(all);
        return all;
    }

    /** The SDC of {@code host}; an unknown GUID is an invalid request. */
    SdcObj of(HostId host, ErrorContext ctx) {
        if (host.value().equalsIgnoreCase(localGuid)) {
            return local(ctx);
        }
        loadSaved();
        for (int pass = 0; pass < 2; pass++) {
            for (SdcObj s : pass == 0 ? List.copyOf(byId.values()) : refresh(ctx)) {
                if (s.isSdc() && host.value().equalsIgnoreCase(s.sdcGuid())) {
                    return s;
                }
            }
        }
        throw new InvalidRequestException(ctx, "host " + host + " is not an SDC GUID registered with system "
                + discovery.layout(ctx).systemId());
    }

    /** The host of an SDC id ({@code sdc:<id>} when the gateway does not tell its GUID). */
    HostId hostOf(String sdcId, ErrorContext ctx) {
        loadSaved();
        SdcObj s = byId.get(sdcId);
        if (s == null) {
            refresh(ctx);
            s = byId.get(sdcId);
        }
        return new HostId(s == null || s.sdcGuid() == null ? "sdc:" + sdcId : s.sdcGuid().toUpperCase(Locale.ROOT));
    }

    /**
     * What the MDM says about {@code host}'s SDC. A Disconnected state counts from its first sighting (kept across
     * restarts); with {@code confirm}, a sighting younger than the grace period is waited out and read again, and
     * counts only if it held.
     */
    OwnerEvidence evidence(HostId host, ErrorContext ctx, boolean confirm) {
        SdcObj sdc = of(host, ctx);
        SdcObj now = read(sdc, ctx);
        if (now.connected()) {
            sightings.ended(host);
            return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState");
        }
        if (!"Disconnected".equalsIgnoreCase(now.mdmConnectionState())) {
            sightings.ended(host);
            return new OwnerEvidence(host, Liveness.UNKNOWN, null, "scaleio:mdmConnectionState=" + now.mdmConnectionState());
        }
        Duration grace = settings.ownerGracePeriod();
        Instant since = sightings.disconnected(host, clock.instant(), grace);
        Duration left = Duration.between(clock.instant(), since.plus(grace));
        if (confirm && !grace.isZero() && !left.isNegative() && !left.isZero()) {
            sleep(left.toMillis());
            if (!"Disconnected".equalsIgnoreCase(read(sdc, ctx).mdmConnectionState())) {
                sightings.ended(host);
                return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState (reconnected within the grace period)");
            }
            sightings.disconnected(host, clock.instant(), grace);
        }
        return new OwnerEvidence(host, Liveness.DISCONNECTED, since, "scaleio:mdmConnectionState");
    }

    private SdcObj read(SdcObj sdc, ErrorContext ctx) {
        return client.read(ctx, GatewayVolumes.ok(ctx, client.get(ctx, "/api/instances/Sdc::" + sdc.id())), SdcObj.class);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
