package io.libstorage.spi.support;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.Preemption;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The pre-emption decision (ARCHITECTURE.md §4 rule 3), the first step of {@link Takeover}: which
 * other owners of a single-writer volume may be fenced so that {@code target} can take it. The
 * template then fences, verifies and maps through the driver's primitives.
 */
public final class Preemptions {
    private Preemptions() {
    }

    /**
     * The owners to fence before mapping {@code volume} to {@code target}, each with the evidence
     * that allowed it; empty when no other host holds the volume or the access mode lets several
     * hosts attach it.
     *
     * @param evidence what the storage system says about a host (asked only when needed)
     * @param gracePeriod how long an owner must have been disconnected before it counts as unreachable
     * @throws VolumeAttachedToOtherHostException under {@link PreemptionPolicy#NEVER}, naming the owners
     * @throws OwnerStillAliveException under {@link PreemptionPolicy#IF_OWNER_UNREACHABLE} without evidence that an owner is gone
     */
    public static List<Preemption> authorize(ErrorContext ctx, Volume volume, HostId target, AttachOptions options,
                                             Function<HostId, OwnerEvidence> evidence, Duration gracePeriod, Clock clock) {
        List<HostId> owners = volume.otherOwners(target);
        if (owners.isEmpty() || volume.spec().accessMode().allowsMultipleHosts()) {
            return List.of();
        }
        PreemptionPolicy policy = options.preemption();
        if (policy == PreemptionPolicy.NEVER) {
            throw new VolumeAttachedToOtherHostException(ctx, owners, policy);
        }
        List<Preemption> out = new ArrayList<>();
        for (HostId owner : owners) {
            OwnerEvidence ev = options.declaredDeadOwners().contains(owner)
                    ? OwnerEvidence.declaredByCaller(owner, clock.instant())
                    : evidence.apply(owner);
            if (policy == PreemptionPolicy.IF_OWNER_UNREACHABLE && !unreachableLongEnough(ev, gracePeriod, clock)) {
                throw new OwnerStillAliveException(ctx, owner, ev);
            }
            out.add(new Preemption(volume.id(), owner, target, policy, ev));
        }
        return out;
    }

    private static boolean unreachableLongEnough(OwnerEvidence ev, Duration grace, Clock clock) {
        if (ev.liveness() != Liveness.DISCONNECTED) {
            return false;
        }
        if (ev.source().equals("caller") || grace.isZero()) {
            return true;
        }
        return ev.since() != null && !ev.since().plus(grace).isAfter(clock.instant());
    }
}
