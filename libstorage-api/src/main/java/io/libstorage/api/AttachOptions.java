package io.libstorage.api;

import java.util.Objects;
import java.util.Set;

/**
 * Per-call choices for an attach.
 *
 * @param preemption what to do when another host holds the volume
 * @param declaredDeadOwners hosts the caller (an orchestrator that knows, e.g. "Mesos agent removed") asserts are gone;
 *                           counts as evidence for {@link PreemptionPolicy#IF_OWNER_UNREACHABLE}
 */
public record AttachOptions(PreemptionPolicy preemption, Set<HostId> declaredDeadOwners) {
    public static final AttachOptions DEFAULT = new AttachOptions(PreemptionPolicy.NEVER, Set.of());

    public AttachOptions {
        Objects.requireNonNull(preemption, "preemption");
        declaredDeadOwners = Set.copyOf(declaredDeadOwners);
    }

    public static AttachOptions withPolicy(PreemptionPolicy policy) {
        return new AttachOptions(policy, Set.of());
    }
}
