package io.libstorage.spi.support;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.Preemption;
import io.libstorage.api.StorageException;
import io.libstorage.api.UnsafeMultiMappingException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.VolumeMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The one order of an attach (ARCHITECTURE.md §4 rule 3), over a driver's {@link VolumeMapping}
 * primitives: read the volume; refuse a single-writer volume the back end already maps to several
 * hosts; return an existing mapping to the target unchanged; decide with {@link Preemptions} which
 * owners may be fenced; for each, unmap it and read again, and stop unless the owner is gone; only
 * then map (exclusively for a single-writer volume) and read the result, unless the back end's acknowledgement of
 * the map is itself the proof ({@link VolumeMapping#acknowledgedMap}). The default
 * {@link io.libstorage.spi.StorageDriver#attach} runs it, so drivers supply primitives and never the order.
 */
public final class Takeover {
    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);

    private Takeover() {
    }

    /**
     * Attaches the volume of {@code mapping} to {@code target} under the options' pre-emption policy.
     *
     * @throws UnsafeMultiMappingException when the back end maps a single-writer volume to several hosts
     * @throws VolumeAttachedToOtherHostException when the policy does not allow taking it, or another host got it first
     * @throws io.libstorage.api.OwnerStillAliveException when {@code IF_OWNER_UNREACHABLE} has no evidence that the owner is gone
     * @throws FencingUnavailableException when an unmap failed or did not take; nothing was mapped
     */
    public static AttachResult attach(VolumeMapping mapping, HostId target, AttachOptions options) {
        ErrorContext ctx = mapping.context();
        Volume volume = mapping.read();
        boolean single = !volume.spec().accessMode().allowsMultipleHosts();
        List<HostId> hosts = volume.attachments().stream().map(Attachment::hostId).distinct().toList();
        if (single && hosts.size() > 1) {
            throw new UnsafeMultiMappingException(ctx, "the single-writer volume is mapped to several hosts "
                    + hosts.stream().map(HostId::value).toList() + "; refusing to use it until only one mapping is left");
        }
        Optional<Attachment> here = volume.attachmentTo(target);
        if (here.isPresent()) {
            return new AttachResult(volume, here.get(), Optional.empty(), false);
        }
        List<Preemption> preemptions = Preemptions.authorize(ctx, volume, target, options, mapping::evidence,
                mapping.ownerGracePeriod(), mapping.clock());
        Volume latest = volume;
        for (Preemption p : preemptions) {
            latest = fence(mapping, p.from(), ctx);
        }
        if (!mapping.map(target, single)) {
            throw new VolumeAttachedToOtherHostException(ctx, mapping.read().otherOwners(target), options.preemption());
        }
        Volume after = mapping.acknowledgedMap(latest, target).orElseGet(mapping::read);
        Attachment mine = after.attachmentTo(target).orElseThrow(() -> new OperationFailedException(ctx,
                "the back end acknowledged the map to host '" + target.value() + "' but does not show it", null));
        for (Preemption p : preemptions) {
            LOG.warn("volume '{}' taken from host '{}' for host '{}' under {} ({}) [{}]", after.name(), p.from().value(),
                    target.value(), p.policy(), p.evidence().describe(), ctx.describe());
        }
        return new AttachResult(after, mine, preemptions.stream().findFirst(), true);
    }

    /** Unmap, then read again: only an owner the back end no longer shows lets the attach go on. Returns that read. */
    private static Volume fence(VolumeMapping mapping, HostId owner, ErrorContext ctx) {
        try {
            mapping.unmap(owner);
        } catch (FencingUnavailableException e) {
            throw e;
        } catch (StorageException e) {
            throw new FencingUnavailableException(ctx, "unmapping the volume from " + owner.value() + " failed: " + e.detail(), e);
        }
        Volume after = mapping.read();
        if (after.attachmentTo(owner).isPresent()) {
            throw new FencingUnavailableException(ctx, "the back end acknowledged the unmap from " + owner.value()
                    + " but still maps the volume there", null);
        }
        return after;
    }
}
