package io.libstorage.api;

import java.util.Objects;

/**
 * A record of a pre-emption: a volume was taken from {@code from} and given to {@code to}.
 *
 * @param volume the volume
 * @param from the previous owner, now fenced (unmapped and verified)
 * @param to the new owner
 * @param policy the policy that allowed it
 * @param evidence the evidence the decision used
 */
public record Preemption(VolumeId volume, HostId from, HostId to, PreemptionPolicy policy, OwnerEvidence evidence) {
    public Preemption {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(evidence, "evidence");
    }
}
