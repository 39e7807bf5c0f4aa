package io.libstorage.scaleio.internal;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts as the gateway knows them: SDCs, identified by their GUID (upper-cased). Resolves this host's
 * SDC at start, maps GUIDs to SDC ids and back (a cache refreshed when a name is not in it), and says
 * what the MDM reports about an SDC's connection, the evidence of a pre-emption.
 */
final class Sdcs {
    private final GatewayClient client;
    private final ScaleIoSettings settings;
    private final Clock clock;
    private final String systemId;
    private final Map<String, SdcObj> byId = new ConcurrentHashMap<>();
    private volatile SdcObj local;

    Sdcs(GatewayClient client, ScaleIoSettings settings, Clock clock, String systemId) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.systemId = systemId;
    }

    /**
     * This host's SDC, by {@code guid}; it must be registered and connected, or volumes mapped to it
     * would never appear.
     */
    SdcObj resolveLocal(String guid, ErrorContext ctx) {
        SdcObj sdc = refresh(ctx).stream().filter(s -> s.isSdc() && guid.equalsIgnoreCase(s.sdcGuid())).findFirst()
                .orElseThrow(() -> SystemLayout.config("guid", "SDC GUID " + guid + " is not registered with system " + systemId
                        + " (from " + (settings.guid().isPresent() ? "scaleio.guid" : settings.drvCfg() + " --query_guid") + ")"));
        if (!sdc.connected()) {
            throw new BackendUnavailableException(ctx.withHost(guid), "this host's SDC " + guid + " (" + sdc.id()
                    + ") is " + sdc.mdmConnectionState() + " from the MDM of system " + systemId
                    + "; volumes mapped to it would never appear", true, null);
        }
        local = sdc;
        return sdc;
    }

    private List<SdcObj> refresh(ErrorContext ctx) {
        List<SdcObj> all = client.readList(ctx, GatewayVolumes.ok(ctx,
                client.get(ctx, "/api/instances/System::" + systemId + "/relationships/Sdc")), SdcObj.class);
        all.forEach(s -> byId.put(s.id(), s));
        return all;
    }

    /** The SDC of {@code host}; an unknown GUID is an invalid request. */
    SdcObj of(HostId host, ErrorContext ctx) {
        SdcObj mine = local;
        if (mine != null && host.value().equalsIgnoreCase(mine.sdcGuid())) {
            return mine;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (SdcObj s : pass == 0 ? List.copyOf(byId.values()) : refresh(ctx)) {
                if (s.isSdc() && host.value().equalsIgnoreCase(s.sdcGuid())) {
                    return s;
                }
            }
        }
        throw new InvalidRequestException(ctx, "host " + host + " is not an SDC GUID registered with system " + systemId);
    }

    /** The host of an SDC id ({@code sdc:<id>} when the gateway does not tell its GUID). */
    HostId hostOf(String sdcId, ErrorContext ctx) {
        SdcObj s = byId.get(sdcId);
        if (s == null) {
            refresh(ctx);
            s = byId.get(sdcId);
        }
        return new HostId(s == null || s.sdcGuid() == null ? "sdc:" + sdcId : s.sdcGuid().toUpperCase(Locale.ROOT));
    }

    /**
     * What the MDM says about {@code host}'s SDC. With {@code confirm}, a Disconnected state is read
     * again after the grace period and counts only if it held.
     */
    OwnerEvidence evidence(HostId host, ErrorContext ctx, boolean confirm) {
        SdcObj sdc = of(host, ctx);
        Instant first = clock.instant();
        SdcObj now = read(sdc, ctx);
        if (now.connected()) {
            return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState");
        }
        if (!"Disconnected".equalsIgnoreCase(now.mdmConnectionState())) {
            return new OwnerEvidence(host, Liveness.UNKNOWN, null, "scaleio:mdmConnectionState=" + now.mdmConnectionState());
        }
        if (confirm && !settings.ownerGracePeriod().isZero()) {
            sleep(settings.ownerGracePeriod().toMillis());
            if (!"Disconnected".equalsIgnoreCase(read(sdc, ctx).mdmConnectionState())) {
                return new OwnerEvidence(host, Liveness.CONNECTED, null, "scaleio:mdmConnectionState (reconnected within the grace period)");
            }
        }
        return new OwnerEvidence(host, Liveness.DISCONNECTED, first, "scaleio:mdmConnectionState");
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
