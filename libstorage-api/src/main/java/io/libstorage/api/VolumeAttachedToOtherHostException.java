package io.libstorage.api;

import java.util.List;

/**
 * The volume exists but is attached to another host, and the pre-emption policy of the call did
 * not allow taking it. Names the owner(s). Nothing was changed.
 */
public final class VolumeAttachedToOtherHostException extends StorageException {
    private final List<HostId> owners;

    public VolumeAttachedToOtherHostException(ErrorContext context, List<HostId> owners, PreemptionPolicy policy) {
        super(context, "volume is attached to another host " + names(owners)
                + " and the pre-emption policy " + policy + " does not allow taking it", null);
        this.owners = List.copyOf(owners);
    }

    private static String names(List<HostId> owners) {
        return owners.stream().map(h -> "'" + h.value() + "'").reduce((a, b) -> a + ", " + b).orElse("'?'");
    }

    public List<HostId> owners() {
        return owners;
    }

    @Override
    public String code() {
        return "VOLUME_ATTACHED_TO_OTHER_HOST";
    }
}
