package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.spi.StorageDriver;

import java.util.List;

/**
 * Explains an attach the pre-emption policy refused in the caller's terms: the operation the caller
 * asked for (a mount, not the attach step inside it), the host that has the volume, what the back end
 * says about that host, and what would allow taking the volume over.
 */
final class TakeoverRefusals {
    private TakeoverRefusals() {
    }

    /**
     * The refusal restated for {@code ctx}; asks the back end about the owners when the driver did not.
     * {@code policySource} says whose policy refused (the call's, the volume's own, the configured default).
     */
    static StorageException explain(StorageException refusal, ErrorContext ctx, StorageDriver storage, String policySource) {
        if (refusal instanceof VolumeAttachedToOtherHostException e) {
            List<OwnerEvidence> evidence = e.evidence().isEmpty()
                    ? e.owners().stream().map(owner -> evidenceOf(owner, storage)).toList() : e.evidence();
            return new VolumeAttachedToOtherHostException(ctx, evidence, e.policy(),
                    "the policy " + e.policy() + " is " + policySource + "; " + remedy(ctx, evidence), e);
        }
        if (refusal instanceof OwnerStillAliveException e) {
            return new OwnerStillAliveException(ctx, e.owner(), e.evidence(), unreachableNeeds(e.evidence(), storage), e);
        }
        return refusal;
    }

    private static OwnerEvidence evidenceOf(HostId owner, StorageDriver storage) {
        try {
            return storage.ownerEvidence(owner);
        } catch (StorageException e) {
            return new OwnerEvidence(owner, Liveness.UNKNOWN, null, storage.name() + " (not reachable to ask: " + e.detail() + ")");
        }
    }

    /** What to change so that the operation may take the volume, and whether that would succeed now. */
    private static String remedy(ErrorContext ctx, List<OwnerEvidence> evidence) {
        boolean mount = ctx.operation().equals("mount");
        String perCall = mount
                ? "mount with the pre-emption policy " + PreemptionPolicy.IF_OWNER_UNREACHABLE + " (per call; for this volume on every host"
                        + " with the create option preemption=" + PreemptionPolicy.IF_OWNER_UNREACHABLE + " (docker volume create -o, libstorage"
                        + " volume create --preemption); or for every volume with libstorage." + IntegrationSettings.PREEMPTION_POLICY
                        + ": " + PreemptionPolicy.IF_OWNER_UNREACHABLE + ")"
                : ctx.operation() + " with the pre-emption policy " + PreemptionPolicy.IF_OWNER_UNREACHABLE;
        String now = evidence.stream().allMatch(e -> e.liveness() == Liveness.DISCONNECTED)
                ? "the back end reports the owner disconnected, so that would take it now"
                : evidence.stream().anyMatch(e -> e.liveness() == Liveness.CONNECTED)
                ? "the back end reports the owner connected, so that would be refused too until it is disconnected or declared dead"
                : "the back end cannot tell whether the owner is alive, so that also needs the owner declared dead";
        return "to take it over, " + perCall + ", which takes it only from an owner the back end reports disconnected"
                + " or the caller declares dead: " + now + " (" + PreemptionPolicy.ALWAYS
                + " takes it whatever the owner's state; an owner still alive loses its unflushed writes)";
    }

    private static String unreachableNeeds(OwnerEvidence evidence, StorageDriver storage) {
        String why = evidence.liveness() == Liveness.UNKNOWN
                ? storage.name() + " cannot tell whether the owner is alive, so it needs the owner declared dead by the caller"
                : "it needs the back end to report the owner disconnected (for the driver's grace period, where it has one)"
                        + " or the owner declared dead by the caller";
        return PreemptionPolicy.IF_OWNER_UNREACHABLE + " takes a volume only from an unreachable owner: " + why
                + " (" + PreemptionPolicy.ALWAYS + " takes it whatever the owner's state; an owner still alive loses its unflushed writes)";
    }
}
