package io.libstorage.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The volume exists but is attached to another host, and the pre-emption policy of the call did
 * not allow taking it. Names the owner(s), and where known what the back end says about each of them
 * and how the caller could take the volume over. Nothing was changed.
 */
public final class VolumeAttachedToOtherHostException extends StorageException {
    private final List<HostId> owners;
    private final List<OwnerEvidence> evidence;
    private final PreemptionPolicy policy;

    public VolumeAttachedToOtherHostException(ErrorContext context, List<HostId> owners, PreemptionPolicy policy) {
        super(context, "volume is attached to another host " + names(owners)
                + " and the pre-emption policy " + policy + " does not allow taking it", null);
        this.owners = List.copyOf(owners);
        this.evidence = List.of();
        this.policy = policy;
    }

    /**
     * The refusal as the caller's operation reports it: the owners with what the back end says about
     * each ({@code evidence}, one per owner), and a {@code remedy} saying what would allow taking the
     * volume over (or {@code null}).
     */
    public VolumeAttachedToOtherHostException(ErrorContext context, List<OwnerEvidence> evidence, PreemptionPolicy policy,
                                              @Nullable String remedy, @Nullable Throwable cause) {
        super(context, "volume is attached to another host " + described(evidence)
                + " and the pre-emption policy " + policy + " does not allow taking it"
                + (remedy == null || remedy.isBlank() ? "" : "; " + remedy), cause);
        this.owners = evidence.stream().map(OwnerEvidence::owner).toList();
        this.evidence = List.copyOf(evidence);
        this.policy = policy;
    }

    private static String names(List<HostId> owners) {
        return owners.stream().map(h -> "'" + h.value() + "'").reduce((a, b) -> a + ", " + b).orElse("'?'");
    }

    private static String described(List<OwnerEvidence> evidence) {
        return evidence.stream().map(e -> "'" + e.owner().value() + "' (" + e.describe() + ")")
                .reduce((a, b) -> a + ", " + b).orElse("'?'");
    }

    public List<HostId> owners() {
        return owners;
    }

    /** What the back end said about each owner when the refusal was explained; empty when it was not asked. */
    public List<OwnerEvidence> evidence() {
        return evidence;
    }

    /** The pre-emption policy of the refused call. */
    public PreemptionPolicy policy() {
        return policy;
    }

    @Override
    public String code() {
        return "VOLUME_ATTACHED_TO_OTHER_HOST";
    }
}
