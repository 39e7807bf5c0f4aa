package io.libstorage.scaleio.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;
import io.libstorage.spi.VolumeMapping;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The takeover primitives on the gateway, for one attach ({@link io.libstorage.spi.support.Takeover}
 * orders them): the volume object (read again after an unmap; after the map the gateway's acknowledgement
 * stands, see {@link #acknowledgedMap}), the MDM's view of an
 * owner SDC (confirmed after the grace period), a targeted {@code removeMappedSdc} of the owner, and
 * {@code addMappedSdc} with {@code allowMultipleMappings=FALSE} for a single-writer volume, which the
 * gateway refuses (errors 297, 315) while another SDC holds it. No lock is needed: the gateway's own
 * check makes the map exclusive.
 */
final class ScaleIoMapping implements VolumeMapping {
    private final GatewayClient client;
    private final GatewayVolumes volumes;
    private final Sdcs sdcs;
    private final ScaleIoSettings settings;
    private final Clock clock;
    private final SdcObj target;
    private final ErrorContext ctx;
    private final String volumeId;
    private final String name;
    private Volume first;

    /**
     * Resolves the target SDC, then takes the volume as this operation's lookup just read it, or reads it (that read
     * answers the first {@link #read()}: the decision it informs is checked by the gateway again, atomically with an
     * exclusive map).
     */
    ScaleIoMapping(GatewayClient client, GatewayVolumes volumes, Sdcs sdcs, ScaleIoSettings settings, Clock clock,
                   String volumeId, HostId targetHost, ErrorContext plain) {
        this.client = client;
        this.volumes = volumes;
        this.sdcs = sdcs;
        this.settings = settings;
        this.clock = clock;
        this.target = sdcs.of(targetHost, plain);
        VolumeObj v = volumes.justReadOrFetch(volumeId, plain).orElseThrow(() -> new VolumeNotFoundException(plain));
        this.ctx = volumes.named(plain, v);
        this.volumeId = v.id();
        this.first = volumes.view(v, null, ctx);
        this.name = first.name();
    }

    @Override
    public ErrorContext context() {
        return ctx;
    }

    @Override
    public Volume read() {
        if (first != null) {
            Volume v = first;
            first = null;
            return v;
        }
        return volumes.view(volumes.existing(volumeId, ctx), name, ctx);
    }

    @Override
    public OwnerEvidence evidence(HostId owner) {
        return sdcs.evidence(owner, ctx, true);
    }

    @Override
    public void unmap(HostId owner) {
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + volumeId + "/action/removeMappedSdc",
                Map.of("sdcId", sdcs.of(owner, ctx).id()));
        if (!r.ok() && r.errorCode() != 84) {
            throw GatewayVolumes.failure(ctx, r);
        }
    }

    @Override
    public boolean map(HostId host, boolean exclusive) {
        GatewayResponse r = client.post(ctx, "/api/instances/Volume::" + volumeId + "/action/addMappedSdc",
                Map.of("sdcId", target.id(), "allowMultipleMappings", exclusive ? "FALSE" : "TRUE"));
        if (r.ok() || r.errorCode() == 81) {
            return true;
        }
        if (r.errorCode() == 297 || r.errorCode() == 315) {
            return false;
        }
        throw GatewayVolumes.failure(ctx, r);
    }

    /**
     * A 200 to {@code addMappedSdc} is the gateway's word that the SDC is mapped (with
     * {@code allowMultipleMappings=FALSE}, that it is the only one): the attachment is added to the
     * template's latest read instead of reading the volume again; the device wait then checks it on this host.
     */
    @Override
    public Optional<Volume> acknowledgedMap(Volume before, HostId host) {
        if (before.attachmentTo(host).isPresent()) {
            return Optional.of(before);
        }
        List<Attachment> attachments = new ArrayList<>(before.attachments());
        attachments.add(new Attachment(new VolumeId(volumeId), sdcs.hostOf(target.id(), ctx), volumes.deviceToken(volumeId, ctx),
                AttachmentState.ATTACHED, null));
        return Optional.of(before.withAttachments(attachments));
    }

    @Override
    public Duration ownerGracePeriod() {
        return settings.ownerGracePeriod();
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
